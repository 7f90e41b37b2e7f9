/**
 * The workspace's rule group namespaces: every compiled group lands in exactly one namespace (per service, the
 * escalation's), each passes `promtool check rules`, and AMP's limits are checked by name.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { ENVIRONMENTS, loadEnvironments } from "../../../../environments";
import { compileEnvironmentSlos } from "../../../../stacks/slo-artifacts";
import { ampRuleNamespaceProblems, ampRuleNamespaces, ESCALATION_RULE_NAMESPACE, sloRuleNamespaceName } from "../../../../lib/observability/managed-prometheus";
import { serviceDownGroupName } from "../../../../lib/slo/service-down";
import { P0_ESCALATION_GROUP } from "../../../../lib/observability/alertmanager";
import { describeWithPromtool, runPromtool, tempDir } from "../../../support/promtool";

const prod = loadEnvironments(["prod"])[0]!;
const slos = compileEnvironmentSlos(prod, ENVIRONMENTS.map((e) => e.name));
const namespaces = ampRuleNamespaces(slos.compiled);
const groupsOf = (data: string) => (parse(data) as { groups: Array<{ name: string; rules: unknown[] }> }).groups;

describe("AMP rule group namespaces", () => {
  test("one namespace per service (its SLOs and its service-down P0), and the escalation's; no group lost or repeated", () => {
    const services = [...new Set(slos.compiled.slos.map((s) => s.slo.service))];
    expect(namespaces.map((n) => n.name)).toEqual([...services.map(sloRuleNamespaceName), ESCALATION_RULE_NAMESPACE]);
    const all = (parse(slos.rulesYaml) as { groups: Array<{ name: string }> }).groups.map((g) => g.name).sort();
    expect(namespaces.flatMap((n) => groupsOf(n.data).map((g) => g.name)).sort()).toEqual(all);
    for (const svc of services) expect(groupsOf(namespaces.find((n) => n.name === sloRuleNamespaceName(svc))!.data).map((g) => g.name)).toContain(serviceDownGroupName(svc));
    expect(groupsOf(namespaces.find((n) => n.name === ESCALATION_RULE_NAMESPACE)!.data).map((g) => g.name)).toEqual([P0_ESCALATION_GROUP]);
    expect(namespaces.reduce((n, ns) => n + ns.ruleCount, 0)).toBe(groupsOf(slos.rulesYaml).reduce((n, g) => n + g.rules.length, 0));
  });

  test("prod's namespaces are within AMP's limits", () => {
    expect(ampRuleNamespaceProblems(namespaces)).toEqual([]);
  });

  test.each([
    ["a namespace name AMP refuses", [{ name: "slo-checkout api", data: "groups: []\n", ruleCount: 0 }], /ruleNamespaces\["slo-checkout api"\]\.name: .*1–64 letters, digits/],
    ["a namespace past 1 MiB", [{ name: "slo-big", data: "x".repeat(1024 * 1024 + 1), ruleCount: 1 }], /ruleNamespaces\["slo-big"\]\.data: "1048577 bytes".*at most 1048576 bytes/],
    ["more rules than a workspace holds", [{ name: "a", data: "", ruleCount: 1500 }, { name: "b", data: "", ruleCount: 501 }], /ruleNamespaces: "2001 rules".*at most 2000 rules per workspace/],
  ])("fails when %s", (_name, given, expected) => {
    const lines = ampRuleNamespaceProblems(given).map((p) => `${p.path}: ${JSON.stringify(p.value)} ${p.allowed}`);
    expect(lines.some((l) => expected.test(l))).toBe(true);
  });
});

describeWithPromtool("AMP rule group namespaces under promtool", () => {
  test("every namespace's data passes promtool check rules", () => {
    const dir = tempDir("amp-namespaces");
    try {
      const files = namespaces.map((n) => {
        const f = path.join(dir, `${n.name}.yaml`);
        fs.writeFileSync(f, n.data);
        return f;
      });
      const r = runPromtool(["check", "rules", ...files]);
      expect(r.output).not.toMatch(/FAILED/);
      expect(r.code).toBe(0);
      expect(r.output.match(/SUCCESS/g)?.length).toBe(namespaces.length);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
