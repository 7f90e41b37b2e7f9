import { fluentBitConfigProblems, matchesTag, renderClassicConfig, type FluentBitSection } from "../../../../lib/observability/logs/fluent-bit-config";

/**
 * Reads classic-format text the way Fluent Bit's own reader does, independently of the writer: a `[SECTION]` header,
 * then indented `key value` lines (the key is the first word, the value the rest), blank lines between sections.
 */
function parseClassic(text: string): Array<{ kind: string; entries: Array<[string, string]> }> {
  const out: Array<{ kind: string; entries: Array<[string, string]> }> = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const header = /^\[([A-Z_]+)\]$/.exec(line);
    if (header) {
      out.push({ kind: header[1]!, entries: [] });
      continue;
    }
    const entry = /^ {4}(\S+)\s+(.+)$/.exec(line);
    if (!entry || out.length === 0) throw new Error(`not classic format: ${JSON.stringify(line)}`);
    out[out.length - 1]!.entries.push([entry[1]!, entry[2]!]);
  }
  return out;
}

describe("the classic configuration writer", () => {
  const sections: FluentBitSection[] = [
    { kind: "SERVICE", entries: [["Flush", 5], ["HTTP_Server", true], ["Daemon", false]] },
    { kind: "INPUT", entries: [["Name", "systemd"], ["Systemd_Filter", "_SYSTEMD_UNIT=kubelet.service"], ["Systemd_Filter", "_SYSTEMD_UNIT=containerd.service"]] },
  ];

  test("writes each section under its header, four spaces in, booleans as On/Off, repeated keys kept in order", () => {
    expect(parseClassic(renderClassicConfig(sections))).toEqual([
      { kind: "SERVICE", entries: [["Flush", "5"], ["HTTP_Server", "On"], ["Daemon", "Off"]] },
      { kind: "INPUT", entries: [["Name", "systemd"], ["Systemd_Filter", "_SYSTEMD_UNIT=kubelet.service"], ["Systemd_Filter", "_SYSTEMD_UNIT=containerd.service"]] },
    ]);
  });

  test("aligns the values of a section and separates sections by one blank line", () => {
    expect(renderClassicConfig(sections)).toBe(
      "[SERVICE]\n    Flush       5\n    HTTP_Server On\n    Daemon      Off\n\n[INPUT]\n    Name           systemd\n    Systemd_Filter _SYSTEMD_UNIT=kubelet.service\n    Systemd_Filter _SYSTEMD_UNIT=containerd.service\n",
    );
    expect(renderClassicConfig([])).toBe("");
  });

  test("is clean for what the format carries", () => {
    expect(fluentBitConfigProblems("s", sections)).toEqual([]);
  });

  test.each([
    ["a value with a line break", { kind: "INPUT", entries: [["Path", "/a\n[OUTPUT]"]] }, "s[0].Path", "a value on one line"],
    ["a value Helm's tpl would read as a template", { kind: "OUTPUT", entries: [["log_group_name", "/aws/{{ .Release.Name }}"]] }, "s[0].log_group_name", "no '{{' (the chart renders the configuration through Helm's tpl)"],
    ["an empty value", { kind: "FILTER", entries: [["Match", " "]] }, "s[0].Match", "a non-empty value"],
    ["a key with a space", { kind: "FILTER", entries: [["Merge Log", "On"]] }, "s[0]", "a key of letters, digits, '_', '.' and '-', starting with a letter"],
    ["an unknown section", { kind: "UPSTREAM", entries: [] }, "s[0]", "one of SERVICE, INPUT, FILTER, OUTPUT, PARSER, MULTILINE_PARSER"],
  ])("fails on %s", (_name, section, path, allowed) => {
    const problems = fluentBitConfigProblems("s", [section as unknown as FluentBitSection]);
    expect(problems.map((p) => [p.path, p.allowed])).toEqual([[path, allowed]]);
  });
});

describe("Match patterns", () => {
  test.each([
    ["kube.*", "kube.var.log.containers.a_b_c.log", true],
    ["kube.*", "host.kubelet.service", false],
    ["*", "host.kubelet.service", true],
    ["host.kubelet.service", "host.kubelet.service", true],
    ["kube.*", "kubex", false],
  ])("%s matches %s: %s", (pattern, tag, expected) => {
    expect(matchesTag(pattern, tag)).toBe(expected);
  });
});
