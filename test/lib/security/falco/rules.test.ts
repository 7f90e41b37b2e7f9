import { parse } from "yaml";
import { checkFalcoRuleFile, renderFalcoRuleFile, type FalcoRule } from "../../../../lib/security/falco/rule-file";
import { PLATFORM_RULE_NAMES, platformFalcoRules, validateFalcoRulesInput } from "../../../../lib/security/falco/rules";
import { conditionReferences } from "../../../../lib/security/falco/condition";

const input = {
  sensitiveFiles: ["/etc/shadow", "/root/.aws/credentials"],
  outbound: { payments: [{ cidr: "203.0.113.0/24", ports: [443, 8443] }, { cidr: "198.51.100.7/32" }], "batch-jobs": [] },
};

describe("platformFalcoRules", () => {
  const items = platformFalcoRules(input);
  const rules = items.filter((i): i is FalcoRule => "rule" in i);
  const byName = (name: string) => rules.find((r) => r.rule === name)!;

  test("generates the five kinds of rule, one outbound rule per namespace, and passes the structural check", () => {
    expect(rules.map((r) => r.rule)).toEqual([
      "Platform: shell in a container",
      "Platform: write below /etc in a container",
      "Platform: read of a sensitive file in a container",
      "Platform: link to a sensitive file in a container",
      "Platform: unexpected outbound connection from namespace batch-jobs",
      "Platform: unexpected outbound connection from namespace payments",
    ]);
    expect(checkFalcoRuleFile(items)).toEqual([]);
    expect(rules.every((r) => r.tags?.includes("sre_platform"))).toBe(true);
  });

  test("the sensitive files become a quoted list the read rule uses", () => {
    expect(items).toContainEqual({ list: "sre_platform_sensitive_files", items: ['"/etc/shadow"', '"/root/.aws/credentials"'] });
    const macro = items.find((i) => "macro" in i && i.macro === "sre_platform_sensitive_file") as { condition: string };
    expect(conditionReferences(macro.condition).lists).toEqual(["sre_platform_sensitive_files"]);
    expect(conditionReferences(byName(PLATFORM_RULE_NAMES.sensitiveFileRead).condition).macros).toEqual(["open_read", "container", "sre_platform_sensitive_file"]);
    expect([byName(PLATFORM_RULE_NAMES.sensitiveFileRead).priority, byName(PLATFORM_RULE_NAMES.sensitiveFileLink).priority]).toEqual(["CRITICAL", "CRITICAL"]);
  });

  test("a namespace may reach its destinations (network and ports), and one without any may reach no public address", () => {
    expect(items).toContainEqual({
      macro: "sre_platform_allowed_outbound_payments",
      condition: '(fd.snet in ("203.0.113.0/24") and fd.sport in (443, 8443)) or (fd.snet in ("198.51.100.7/32"))',
    });
    expect(items).toContainEqual({ macro: "sre_platform_allowed_outbound_batch_jobs", condition: "never_true" });
    expect(byName(PLATFORM_RULE_NAMES.unexpectedOutbound("payments")).condition).toBe(
      'outbound and container and k8s.ns.name = "payments" and not (sre_platform_allowed_outbound_payments)',
    );
  });

  test("without sensitive files or namespaces, only the shell and /etc rules remain", () => {
    const only = platformFalcoRules({ sensitiveFiles: [], outbound: {} });
    expect(only.filter((i) => "rule" in i).map((i) => ("rule" in i ? i.rule : ""))).toEqual([PLATFORM_RULE_NAMES.shellInContainer, PLATFORM_RULE_NAMES.writeBelowEtc]);
    expect(checkFalcoRuleFile(only)).toEqual([]);
  });

  test("the rendered file reads back as the items", () => {
    expect(parse(renderFalcoRuleFile(items))).toEqual(items);
  });
});

describe("validateFalcoRulesInput", () => {
  test("accepts valid input", () => {
    expect(validateFalcoRulesInput(input)).toEqual([]);
  });
  const bad: Array<[string, object, RegExp]> = [
    ["a sensitive file is relative", { sensitiveFiles: ["etc/shadow"], outbound: {} }, /sensitiveFiles\[0\]/],
    ["a sensitive file holds a quote", { sensitiveFiles: ['/etc/"x'], outbound: {} }, /sensitiveFiles\[0\]/],
    ["a namespace name is invalid", { sensitiveFiles: [], outbound: { Payments: [] } }, /outbound\["Payments"\]/],
    ["a destination is not a CIDR", { sensitiveFiles: [], outbound: { p: [{ cidr: "example.com" }] } }, /outbound\.p\[0\]\.cidr/],
    ["a port is out of range", { sensitiveFiles: [], outbound: { p: [{ cidr: "10.0.0.0/8", ports: [0] }] } }, /outbound\.p\[0\]\.ports\[0\]/],
  ];
  test.each(bad)("fails when %s", (_name, given, path) => {
    expect(validateFalcoRulesInput(given as never).map((p) => p.path).join(" ")).toMatch(path);
  });
});
