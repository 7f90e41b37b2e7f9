import {
  FALCO_PRIORITIES, FALCO_PRIORITY_DIALECT, falcoPriorityNamesOfTier, falcosidekickLabel, falcosidekickSeverityMap, falcoTier, isAtLeast, isFalcoRulePriority,
} from "../../../../lib/security/falco/priorities";
import { PRIORITIES } from "../../../../lib/observability/priorities";

describe("Falco priorities", () => {
  test("Falco's eight priorities, most severe first", () => {
    expect(FALCO_PRIORITIES).toEqual(["EMERGENCY", "ALERT", "CRITICAL", "ERROR", "WARNING", "NOTICE", "INFORMATIONAL", "DEBUG"]);
  });

  test.each([
    ["EMERGENCY", "P0"], ["ALERT", "P0"], ["CRITICAL", "P0"], ["ERROR", "P1"], ["WARNING", "P2"], ["NOTICE", "P3"], ["INFORMATIONAL", "P3"], ["DEBUG", "P3"],
  ] as const)("%s lands on %s", (falco, tier) => {
    expect(falcoTier(falco)).toBe(tier);
  });

  test("tiers never get less urgent as Falco's priority rises, and no Falco priority is a capacity (P4) alert", () => {
    const tiers = FALCO_PRIORITIES.map((p) => PRIORITIES.indexOf(falcoTier(p)));
    expect(tiers).toEqual([...tiers].sort((a, b) => a - b));
    expect(falcoPriorityNamesOfTier("P4")).toEqual([]);
  });

  test("names of a tier are spelled as falcosidekick labels them", () => {
    expect(falcoPriorityNamesOfTier("P0")).toEqual(["Emergency", "Alert", "Critical"]);
    expect(falcoPriorityNamesOfTier("P3")).toEqual(["Notice", "Informational", "Debug"]);
  });

  test("falcosidekick's severity map gives every priority its tier", () => {
    expect(falcosidekickSeverityMap()).toBe("emergency:P0,alert:P0,critical:P0,error:P1,warning:P2,notice:P3,informational:P3,debug:P3");
  });

  test.each(["CRITICAL", "critical", "Warning", "INFO", "info", "Informational"])("%s is a priority Falco accepts in a rule", (p) => {
    expect(isFalcoRulePriority(p)).toBe(true);
  });

  test.each(["SEVERE", "WARN", "P0", "", 3, undefined])("%s is not", (p) => {
    expect(isFalcoRulePriority(p)).toBe(false);
  });

  test("isAtLeast orders by severity", () => {
    expect(isAtLeast("CRITICAL", "WARNING")).toBe(true);
    expect(isAtLeast("NOTICE", "WARNING")).toBe(false);
    expect(isAtLeast("WARNING", "WARNING")).toBe(true);
  });

  // falcosidekick's rule (alertmanagerSafeLabel in outputs/alertmanager.go): unsafe characters to "_", doubled "_" merged, ends trimmed.
  test.each([
    ["k8s.ns.name", "k8s_ns_name"],
    ["proc.aname[2]", "proc_aname_2"],
    ["evt.arg.res", "evt_arg_res"],
    ["__weird..name__", "weird_name"],
  ])("falcosidekick labels the field %s as %s", (field, label) => {
    expect(falcosidekickLabel(field)).toBe(label);
  });

  test("detections from a team's namespace reach the team at most in its chat (P2)", () => {
    expect(FALCO_PRIORITY_DIALECT).toMatchObject({ namespaceLabel: "k8s_ns_name", teamCeiling: "P2" });
  });
});
