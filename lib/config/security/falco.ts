import { z } from "zod";
import type { ValidationProblem } from "../../problems";
import { OptOutSchema } from "./opt-out";
import { ResourcesSchema } from "../platform-schema";
import { isDnsLabel } from "../../kubernetes/names";
import { isValidCidr } from "../../net/cidr";
import { FALCO_PRIORITIES } from "../../security/falco/priorities";
import { SENSITIVE_FILE_PATH, SENSITIVE_FILE_PATH_RULE } from "../../security/falco/rules";

/**
 * `security.falco`: runtime detection. Falco (modern eBPF, least-privileged) on every node with the platform's rules
 * generated from this section, and falcosidekick forwarding to the platform's Alertmanager. On unless an opt-out
 * flag, with its reason, says otherwise. The fields are the `Falco` construct's props by the same names; the
 * construct's own validator checks them (with this path) before anything is built, so each rule has one home.
 */

const DestinationSchema = z.strictObject({
  /** IPv4 network the namespace may reach, e.g. `52.94.0.0/16` (private ranges are never flagged). */
  cidr: z.string().refine(isValidCidr, { message: "an IPv4 network in CIDR notation such as 52.94.0.0/16" }),
  /** Destination ports; absent, every port. */
  ports: z.array(z.number().int().min(1).max(65535)).min(1, { message: "at least one port, or leave ports out for every port" }).optional(),
});

export const FalcoRulesConfigSchema = z.strictObject({
  /** Files whose read inside a container is a P0 alert (credentials, keys). */
  sensitiveFiles: z
    .array(z.string().regex(SENSITIVE_FILE_PATH, { message: SENSITIVE_FILE_PATH_RULE }))
    .min(1, { message: "at least one file: without one the sensitive-file rule watches nothing" }),
  /**
   * Namespaces watched for outbound connections to public addresses, each with the destinations it may reach (none:
   * no public address at all). Namespaces not named are not watched.
   */
  outbound: z.record(z.string().refine(isDnsLabel, { message: "a Kubernetes namespace name" }), z.array(DestinationSchema)),
});

/** Why Falco needs more than Pod Security `restricted`, recorded for the namespace baseline to read. */
export const FalcoPodSecuritySchema = z.strictObject({
  /** Falco's pods need hostPath volumes (/proc, /etc, /sys/kernel, the CRI socket) and eBPF capabilities. */
  level: z.literal("privileged"),
  reason: z.string().trim().min(20, { message: "why the namespace needs this level, in at least 20 characters" }),
});

export const FalcoOptOutsSchema = z.strictObject({
  /** Do not install Falco at all: no runtime detection on this environment's nodes. */
  runtimeDetection: OptOutSchema.optional(),
  /** Install Falco but not falcosidekick: detections only in Falco's logs, no alert reaches Alertmanager. */
  alertForwarding: OptOutSchema.optional(),
});

export const FalcoConfigSchema = z.strictObject({
  /** Falco's container on each node. */
  resources: ResourcesSchema,
  /**
   * falcosidekick, forwarding detections to the platform's Alertmanager: the `Falco` construct's `alertForwarding`
   * (turned off only by `optOut.alertForwarding`).
   */
  alertForwarding: z.strictObject({
    /** The least severe Falco priority forwarded to Alertmanager (less severe events stay in Falco's logs). */
    minimumPriority: z.enum(FALCO_PRIORITIES),
    /** falcosidekick replicas; two or more get a disruption budget. */
    replicas: z.number().int().min(1).max(5),
    resources: ResourcesSchema,
  }),
  rules: FalcoRulesConfigSchema,
  podSecurity: FalcoPodSecuritySchema,
  /** Named opt-outs of the runtime-detection defaults, each with its reason. */
  optOut: FalcoOptOutsSchema,
});

export type FalcoConfig = z.infer<typeof FalcoConfigSchema>;

/**
 * The namespaces Falco watches for outbound traffic are namespaces the platform makes: a team's. A name that exists
 * nowhere watches nothing, silently (rules between `security.falco` and `security.namespaces`).
 */
export function falcoOutboundProblems(falco: FalcoConfig, teamNamespaces: readonly string[]): ValidationProblem[] {
  return Object.keys(falco.rules.outbound)
    .filter((ns) => !teamNamespaces.includes(ns))
    .map((ns) => ({
      path: `security.falco.rules.outbound.${ns}`,
      value: ns,
      allowed: `a team namespace of security.namespaces.teams (${teamNamespaces.join(", ") || "none configured"}): Falco would watch a namespace that does not exist`,
    }));
}
