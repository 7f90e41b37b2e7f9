/**
 * Fluent Bit's classic configuration format as typed data, and its one writer. A section is a header (`[INPUT]`) and
 * its key/value lines, indented; a key may repeat (`Systemd_Filter` once per unit). The fluent-bit chart joins the
 * `service`, `inputs`, `filters` and `outputs` strings into `fluent-bit.conf` and passes each through Helm's `tpl`, so
 * a value holding `{{` would be read as a template: {@link fluentBitConfigProblems} refuses it, with anything else the
 * format cannot carry.
 * @see https://docs.fluentbit.io/manual/administration/configuring-fluent-bit/classic-mode/configuration-file
 */
import type { ValidationProblem } from "../../problems";

/** The section kinds the platform writes. */
export const FLUENT_BIT_SECTIONS = ["SERVICE", "INPUT", "FILTER", "OUTPUT", "PARSER", "MULTILINE_PARSER"] as const;
export type FluentBitSectionKind = (typeof FLUENT_BIT_SECTIONS)[number];

/** A value as written: booleans become `On`/`Off`, numbers their decimal form. */
export type FluentBitValue = string | number | boolean;

/** One section: its kind and its entries in order (a key may appear more than once). */
export interface FluentBitSection {
  readonly kind: FluentBitSectionKind;
  readonly entries: ReadonlyArray<readonly [string, FluentBitValue]>;
}

/** The value of the first entry named `key` (case-insensitive, as Fluent Bit reads keys). */
export function entryValue(section: FluentBitSection, key: string): FluentBitValue | undefined {
  return section.entries.find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
}

/** Every value of entries named `key` (case-insensitive). */
export function entryValues(section: FluentBitSection, key: string): FluentBitValue[] {
  return section.entries.filter(([k]) => k.toLowerCase() === key.toLowerCase()).map(([, v]) => v);
}

function render(value: FluentBitValue): string {
  return typeof value === "boolean" ? (value ? "On" : "Off") : String(value);
}

/** The sections as classic-format text: keys aligned, four spaces in, one blank line between sections. */
export function renderClassicConfig(sections: readonly FluentBitSection[]): string {
  return sections
    .map((s) => {
      const width = Math.max(0, ...s.entries.map(([k]) => k.length));
      return [`[${s.kind}]`, ...s.entries.map(([k, v]) => `    ${k.padEnd(width)} ${render(v)}`)].join("\n");
    })
    .join("\n\n")
    .concat(sections.length > 0 ? "\n" : "");
}

/** A key as Fluent Bit accepts it: letters, digits, `_`, `.` and `-`. */
const KEY = /^[A-Za-z][A-Za-z0-9_.-]*$/;

/**
 * What the classic format (and the chart's `tpl`) cannot carry: an unknown section kind, a key that is not a plain
 * name, an empty value, a line break, or `{{`. Paths are `<where>[i].<key>`.
 */
export function fluentBitConfigProblems(where: string, sections: readonly FluentBitSection[]): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  sections.forEach((s, i) => {
    if (!(FLUENT_BIT_SECTIONS as readonly string[]).includes(s.kind)) {
      problems.push({ path: `${where}[${i}]`, value: s.kind, allowed: `one of ${FLUENT_BIT_SECTIONS.join(", ")}` });
    }
    for (const [key, value] of s.entries) {
      if (!KEY.test(key)) problems.push({ path: `${where}[${i}]`, value: key, allowed: "a key of letters, digits, '_', '.' and '-', starting with a letter" });
      const text = render(value);
      if (text.trim() === "") problems.push({ path: `${where}[${i}].${key}`, value, allowed: "a non-empty value" });
      if (/[\r\n]/.test(text)) problems.push({ path: `${where}[${i}].${key}`, value, allowed: "a value on one line" });
      if (text.includes("{{")) problems.push({ path: `${where}[${i}].${key}`, value, allowed: "no '{{' (the chart renders the configuration through Helm's tpl)" });
    }
  });
  return problems;
}

/** True when the glob `pattern` (only `*` is special, as in Fluent Bit's `Match`) matches `tag`. */
export function matchesTag(pattern: string, tag: string): boolean {
  const re = new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  return re.test(tag);
}
