/**
 * Helm's merge of a release's values over a chart's default values.yaml, as the chart's templates then see them, so a
 * test can read what a chart really renders from the values an add-on writes:
 * - maps merge key by key, recursively; lists and scalars replace;
 * - a `null` removes the key: inside a map that the chart's defaults also have, always; at the top level only when the
 *   chart has that key. Anywhere else Helm leaves the `null` in place, and a template renders it (`cpu: null`, which
 *   the API server reads as a limit of 0).
 * @see https://helm.sh/docs/chart_template_guide/values_files/#deleting-a-default-key
 */

type Values = Record<string, unknown>;

const isMap = (v: unknown): v is Values => v !== null && typeof v === "object" && !Array.isArray(v);

/** The chart's `values.yaml` (`chart`) with the release's values (`user`) coalesced over it, as `helm install -f` does. */
export function helmCoalesce(user: Values, chart: Values): Values {
  return coalesceTable(user, chart, true);
}

function coalesceTable(user: Values, chart: Values, top: boolean): Values {
  const out: Values = {};
  for (const [key, value] of Object.entries(user)) {
    if (value === null) {
      if (top && !(key in chart)) out[key] = null;
      continue;
    }
    const base = chart[key];
    out[key] = isMap(value) && isMap(base) ? coalesceTable(value, base, false) : value;
  }
  for (const [key, value] of Object.entries(chart)) if (!(key in user)) out[key] = value;
  return out;
}

/**
 * The values a sub-chart's templates see: the parent's merged section for it (`parentSection`) over the sub-chart's
 * own defaults.
 */
export function subchartValues(parentSection: unknown, subchartDefaults: Values): Values {
  return helmCoalesce(isMap(parentSection) ? parentSection : {}, subchartDefaults);
}

/**
 * What Istio's charts (1.30) do next in their templates: their defaults sit under `_internal_defaults_do_not_set`, and
 * the values are merged over them with sprig's `mustMergeOverwrite`, which copies a `null` instead of removing the key.
 */
export function istioTemplateValues(coalesced: Values): Values {
  const { _internal_defaults_do_not_set: defaults, ...rest } = coalesced;
  return mergeOverwrite(isMap(defaults) ? defaults : {}, rest);
}

function mergeOverwrite(dst: Values, src: Values): Values {
  const out: Values = { ...dst };
  for (const [key, value] of Object.entries(src)) {
    const current = out[key];
    out[key] = isMap(value) && isMap(current) ? mergeOverwrite(current, value) : value;
  }
  return out;
}
