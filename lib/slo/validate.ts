/**
 * Stage 2, validate: checks on normalized definitions, whatever format they came from, before any output.
 * Every problem is collected (not just the first), and each names the file, the SLO and the field as the
 * user wrote it (through `SloSource.fields`).
 */
import { type RejectedSloDefinition, type SloDefinition, type SloDiagnostic, SloError } from "./model";
import { RESERVED_LABELS } from "./conventions";
import { SLO_NAME_RE } from "./formats/common";
import { parseSloDocuments, type ParseOptions } from "./parse";
import type { SloSpecV1 } from "./formats/sre-platform-v1";
import { checkSli, LABEL_NAME_RE } from "./promql";
import { namespaceMatcherDiagnostics } from "./namespace-matchers";

/** Alert names: Prometheus identifiers. */
export const ALERT_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const PERIODS = ["30d", "28d", "7d"];

/**
 * The path of a model field in the user's file (`slos[0].sli.events.error_query`); falls back to the parent
 * field (`labels.team` → `labels`) and finally to the model path itself.
 */
export function sourceField(def: Pick<SloDefinition, "source">, key: string): string {
  const fields = def.source.fields ?? {};
  if (fields[key] !== undefined) return fields[key];
  const dot = key.lastIndexOf(".");
  if (dot > 0) {
    const parent = key.slice(0, dot);
    const base = fields[parent];
    if (base !== undefined) return `${base}.${key.slice(dot + 1)}`;
  }
  return key;
}

/**
 * All problems of a set of definitions compiled together (including duplicate ids across files). Rejected
 * definitions (see `RejectedSloDefinition`) are checked the same way, their SLI only when they have one.
 */
export function validateSloDefinitions(defs: readonly RejectedSloDefinition[]): SloDiagnostic[] {
  const out: SloDiagnostic[] = [];
  const seen = new Map<string, RejectedSloDefinition>();
  for (const def of defs) {
    const problem = (key: string, message: string, excerpt?: string): void => {
      out.push({ file: def.source.file, slo: def.id, field: sourceField(def, key), stage: "validate", message, ...(excerpt !== undefined ? { excerpt } : {}) });
    };
    validateOne(def, problem);
    const first = seen.get(def.id);
    if (first) {
      const where = first.source.file === def.source.file ? sourceField(first, "name") : `${first.source.file} (${sourceField(first, "name")})`;
      problem("name", `duplicate SLO id "${def.id}": already defined at ${where}; SLO names must be unique per service`);
    } else {
      seen.set(def.id, def);
    }
  }
  return out;
}

/**
 * The lowest objective accepted, in percent. Below it every alert's threshold exceeds an error ratio of 1
 * (nothing could ever fire), and such a value is almost always a ratio written where a percentage belongs.
 */
export const MIN_OBJECTIVE_PERCENT = 1;

type Report = (key: string, message: string, excerpt?: string) => void;

function validateOne(def: RejectedSloDefinition, problem: Report): void {
  for (const key of ["service", "name"] as const) {
    if (!SLO_NAME_RE.test(def[key])) {
      problem(key, `invalid ${key} ${JSON.stringify(def[key])}: use letters, digits, "-", "_" and ".", starting and ending with a letter or digit`);
    }
  }
  if (typeof def.objective !== "number" || !Number.isFinite(def.objective) || def.objective <= 0 || def.objective >= 100) {
    problem("objective", `objective must be a percentage strictly between 0 and 100 (e.g. 99.9), got ${String(def.objective)}`);
  } else if (def.objective < MIN_OBJECTIVE_PERCENT) {
    // A ratio where a percentage belongs (0.995 for 99.5%) compiles into alerts that can never fire.
    const percent = Number((def.objective * 100).toPrecision(12));
    problem("objective", `objective ${def.objective} is a percentage below ${MIN_OBJECTIVE_PERCENT}; did you mean ${percent}? (objectives are percentages, e.g. 99.5 for 99.5%)`);
  }
  if (def.period !== undefined && !PERIODS.includes(def.period)) {
    problem("period", `unsupported period ${JSON.stringify(def.period)}; allowed: ${PERIODS.join(", ")}`);
  }
  checkLabels(def.labels, "labels", "label", problem, true);
  const a = def.alerting;
  if (!ALERT_NAME_RE.test(a.name)) {
    problem("alerting.name", `invalid alert name ${JSON.stringify(a.name)}: must match [a-zA-Z_][a-zA-Z0-9_]* (e.g. CheckoutApiAvailability)`);
  }
  checkLabels(a.labels, "alerting.labels", "label", problem, true);
  checkLabels(a.annotations, "alerting.annotations", "annotation", problem, false);
  for (const sev of ["page", "ticket"] as const) {
    checkLabels(a[sev].labels, `alerting.${sev}.labels`, "label", problem, true);
    checkLabels(a[sev].annotations, `alerting.${sev}.annotations`, "annotation", problem, false);
  }
  if (a.runbookUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(a.runbookUrl)) {
    problem("alerting.runbookUrl", `runbook URL must be an absolute http(s) URL, got ${JSON.stringify(a.runbookUrl)}`);
  }
  if (a.mitigation !== undefined && a.mitigation.trim() === "") {
    problem("alerting.mitigation", "mitigation is empty: write what the on-call does first, or leave the key out");
  }
  validateSli(def, problem);
}

function checkLabels(labels: Readonly<Record<string, string>>, key: string, what: string, problem: Report, valueRequired: boolean): void {
  for (const [name, value] of Object.entries(labels ?? {})) {
    if (!LABEL_NAME_RE.test(name)) {
      problem(`${key}.${name}`, `invalid ${what} name ${JSON.stringify(name)}: must match [a-zA-Z_][a-zA-Z0-9_]*`);
    } else if (name.startsWith("__")) {
      problem(`${key}.${name}`, `invalid ${what} name ${JSON.stringify(name)}: names starting with "__" are reserved for Prometheus`);
    } else if (valueRequired && RESERVED_LABELS.includes(name)) {
      problem(`${key}.${name}`, `${what} name ${JSON.stringify(name)} is reserved: the compiler sets it to identify the SLO`);
    }
    if (typeof value !== "string") {
      problem(`${key}.${name}`, `${what} value must be a string, got ${typeof value}`);
    } else if (valueRequired && value === "") {
      problem(`${key}.${name}`, `${what} value must not be empty (an empty value removes the label in Prometheus)`);
    }
  }
}

function validateSli(def: RejectedSloDefinition, problem: Report): void {
  if (def.sli === undefined) return; // a rejected definition whose SLI problem is already reported
  for (const p of checkSli(def.sli)) problem(p.key, p.message, p.excerpt);
}

/** Options for validating a spec built in TypeScript. */
export interface ValidateSpecOptions extends ParseOptions {
  /**
   * Name used in messages in place of a file name.
   * @default "<inline>"
   */
  readonly file?: string;
}

/**
 * Validates a platform spec built in TypeScript, exactly as a YAML file is validated (with `strict`, an SLI selector
 * without a `namespace` matcher is an error; without, it is not reported here: no warnings are returned).
 * @returns the definitions (overrides of `options.environment` applied)
 * @throws SloError with every problem found
 */
export function validateSloSpec(spec: SloSpecV1, options: ValidateSpecOptions = {}): SloDefinition[] {
  const file = options.file ?? "<inline>";
  const parsed = parseSloDocuments([spec], file, options);
  const problems = [...parsed.errors, ...validateSloDefinitions([...parsed.definitions, ...parsed.rejected])];
  if (options.strict === true) problems.push(...namespaceMatcherDiagnostics(parsed.definitions));
  if (problems.length > 0) throw new SloError(problems);
  return parsed.definitions;
}
