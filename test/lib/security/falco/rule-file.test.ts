import { parse } from "yaml";
import { checkFalcoRuleFile, renderFalcoRuleFile, type FalcoRuleItem } from "../../../../lib/security/falco/rule-file";

const rule = (over: Record<string, unknown> = {}) => ({
  rule: "Shell",
  desc: "a shell",
  condition: "spawned_process and container and shell_procs",
  output: "shell %proc.name",
  priority: "WARNING",
  ...over,
});

describe("checkFalcoRuleFile", () => {
  test("accepts lists and macros defined before use, and the default macros and lists relied on", () => {
    const items = [
      { list: "my_files", items: ['"/etc/shadow"', 3] },
      { macro: "my_macro", condition: "open_read and fd.name in (my_files, shell_binaries)" },
      rule({ condition: "my_macro and container" }),
    ];
    expect(checkFalcoRuleFile(items)).toEqual([]);
  });

  const bad: Array<[string, unknown[], RegExp]> = [
    ["a rule has no desc", [rule({ desc: undefined })], /items\[0\]\.desc.*required/],
    ["a rule has an empty output", [rule({ output: " " })], /items\[0\]\.output/],
    ["a rule has no condition", [rule({ condition: undefined })], /items\[0\]\.condition/],
    ["a rule has no priority", [rule({ priority: undefined })], /items\[0\]\.priority/],
    ["a priority is not Falco's", [rule({ priority: "SEVERE" })], /items\[0\]\.priority: got "SEVERE"; allowed: one of Falco's priorities: EMERGENCY, ALERT/],
    ["a macro name is misspelled", [rule({ condition: "spawned_proces and container" })], /items\[0\]\.condition: got "spawned_proces"; allowed: a macro defined earlier/],
    ["a list name is misspelled", [rule({ condition: "proc.name in (shell_binary)" })], /got "shell_binary"; allowed: a list defined earlier/],
    ["a macro is used before it is defined", [rule({ condition: "later" }), { macro: "later", condition: "container" }], /items\[0\]\.condition: got "later"/],
    ["a condition does not parse", [rule({ condition: "container and (" })], /items\[0\]\.condition.*a Falco condition \(expected a macro/],
    ["a macro's condition uses an undefined macro", [{ macro: "m", condition: "nope" }], /items\[0\]\.condition: got "nope"/],
    ["a rule name is used twice", [rule(), rule()], /items\[1\]\.rule: got "Shell"; allowed: a rule name not used before/],
    ["a macro replaces a default macro relied on", [{ macro: "container", condition: "never_true" }], /items\[0\]\.macro: got "container"; allowed: a name that does not replace/],
    ["a list replaces a default list relied on", [{ list: "shell_binaries", items: ['"sh"'] }], /items\[0\]\.list: got "shell_binaries"/],
    ["a list has no items array", [{ list: "l" }], /items\[0\]\.items/],
    ["an item is neither list, macro nor rule", [{ name: "x" }], /items\[0\]: got .*allowed: an object with exactly one of list, macro or rule/],
    ["an item is both a macro and a rule", [{ macro: "x", ...rule() }], /items\[0\]: .*exactly one of/],
    ["a rule name is empty", [rule({ rule: "" })], /items\[0\]\.rule: got ""/],
  ];
  test.each(bad)("fails when %s", (_name, items, message) => {
    const problems = checkFalcoRuleFile(items);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.map((p) => `${p.path}: got ${JSON.stringify(p.value)}; allowed: ${p.allowed}`).join("\n")).toMatch(message);
  });

  test("renders one YAML document that reads back as the same items", () => {
    const items: FalcoRuleItem[] = [{ list: "l", items: ['"/a b"'] }, rule({ output: "x | a=%proc.name: b" }) as FalcoRuleItem];
    expect(parse(renderFalcoRuleFile(items))).toEqual(items);
  });
});
