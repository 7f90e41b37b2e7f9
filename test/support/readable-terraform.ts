/**
 * A synthesized stack as a reviewer reads it in a snapshot diff: the YAML strings of Helm releases'
 * `values` and the JSON string of EKS add-ons' `configuration_values` replaced by the objects they hold,
 * so a change reads like a values diff, key by key, instead of one changed multi-line string.
 */
import { parse } from "yaml";

type Json = Record<string, any>;

function parsedOrAsIs(text: unknown, parseText: (t: string) => unknown): unknown {
  if (typeof text !== "string") return text;
  try {
    return parseText(text);
  } catch {
    return text; // not parseable (e.g. a token): shown as it is
  }
}

export function readableStack(tf: Json): Json {
  const copy = structuredClone(tf);
  for (const release of Object.values<Json>(copy.resource?.helm_release ?? {})) {
    if (Array.isArray(release.values)) release.values = release.values.map((v: unknown) => parsedOrAsIs(v, parse));
  }
  for (const addon of Object.values<Json>(copy.resource?.aws_eks_addon ?? {})) {
    if (addon.configuration_values !== undefined) addon.configuration_values = parsedOrAsIs(addon.configuration_values, JSON.parse);
  }
  return copy;
}
