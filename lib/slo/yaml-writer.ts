/**
 * A small YAML writer for the rule files the compiler emits (maps, lists and strings only). The `yaml`
 * package's `stringify` builds a full document model first and spent ~0.9 s on the 10 MB rules file of
 * 1,000 SLOs (more than the whole compile); writing text directly takes a few tens of ms. Tests parse
 * every emitted file back with the `yaml` package and compare it to the data, so both must agree.
 *
 * Strings: multi-line → `|-` (or `|`) block literal, so PromQL stays readable in review; plain when that is
 * unambiguous; otherwise a JSON string (a valid YAML double-quoted scalar).
 */

export type YamlValue = string | number | boolean | YamlValue[] | { [k: string]: YamlValue | undefined };

// Plain scalars: safe first characters, then anything printable except the sequences handled below
// (`: `, ` #`, a trailing space); flow indicators like `[` are fine inside a block-context plain scalar.
const PLAIN = /^[A-Za-z0-9_./(][A-Za-z0-9_./:(){}[\]$ ,=|*+<>!~'"%@&^;?\\-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|y|n|null|~|[-+]?(\d[\d_]*(\.\d*)?([eE][-+]?\d+)?|\.\d+|\.inf|\.nan|0x[0-9a-fA-F]+|0o[0-7]+))$/i;

function scalar(s: string): string {
  if (s !== "" && PLAIN.test(s) && !RESERVED.test(s) && !s.endsWith(" ") && !s.includes(": ") && !s.includes(" #")) {
    return s;
  }
  return JSON.stringify(s);
}

function key(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_./-]*$/.test(k) && !RESERVED.test(k) ? k : JSON.stringify(k);
}

function blockString(s: string, indent: string): string | undefined {
  if (!s.includes("\n") || /^\s/.test(s) || /[ \t]\n/.test(s) || /[\u0000-\u0008\u000b-\u001f\u007f]/.test(s)) return undefined;
  const chomp = s.endsWith("\n") ? (s.endsWith("\n\n") ? undefined : "|") : "|-";
  if (chomp === undefined) return undefined;
  const body = s.endsWith("\n") ? s.slice(0, -1) : s;
  return `${chomp}\n${indent}${body.replace(/\n(?!\n)/g, `\n${indent}`)}`;
}

/** Appends with `+=`: V8 builds a rope, far less garbage than an array of pieces joined at the end. */
function push(out: Out, text: string): void {
  out.s += text;
}

interface Out {
  s: string;
}

function write(v: YamlValue, indent: string, out: Out, inList: boolean): void {
  if (Array.isArray(v)) {
    if (v.length === 0) {
      push(out, " []\n");
      return;
    }
    if (!inList) push(out, "\n");
    v.forEach((item, i) => {
      push(out, i === 0 && inList ? "- " : `${indent}- `);
      if (typeof item === "object" && item !== null) write(item, indent + "  ", out, true);
      else {
        write(item, indent + "  ", out, true);
      }
    });
    return;
  }
  if (typeof v === "object" && v !== null) {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined) as Array<[string, YamlValue]>;
    if (entries.length === 0) {
      push(out, inList ? "{}\n" : " {}\n");
      return;
    }
    if (!inList) push(out, "\n");
    entries.forEach(([k, x], i) => {
      push(out, i === 0 && inList ? `${key(k)}:` : `${indent}${key(k)}:`);
      if (typeof x === "object" && x !== null) write(x, Array.isArray(x) ? indent + "  " : indent + "  ", out, false);
      else write(x, indent + "  ", out, false);
    });
    return;
  }
  const lead = inList ? "" : " ";
  if (typeof v === "string") {
    push(out, lead + (blockString(v, indent) ?? scalar(v)) + "\n");
  } else {
    push(out, lead + String(v) + "\n");
  }
}

/** YAML text for a document made of maps, lists, strings, numbers and booleans. */
export function toYamlText(doc: { [k: string]: YamlValue | undefined }): string {
  const out: Out = { s: "" };
  const entries = Object.entries(doc).filter(([, x]) => x !== undefined) as Array<[string, YamlValue]>;
  for (const [k, x] of entries) {
    push(out, `${key(k)}:`);
    write(x, "  ", out, false);
  }
  return out.s;
}
