/**
 * promtool proofs: every emitted rule file passes `promtool check rules`, and generated `promtool test rules`
 * suites show, per SLI kind, the alert behaviour the SRE Workbook asks for (see support/scenarios.ts for the
 * math behind each expected value). Set SLO_PROBE=1 to also print observed detection/resolution times.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { compileSlos } from "../../../lib/slo/compile";
import { emitRulesYaml, toPrometheusRule } from "../../../lib/slo/emit";
import { SUPPORTED_PERIODS } from "../../../lib/slo/windows";
import { checkRulesText, describeWithPromtool } from "../../support/promtool";
import { makeSlo, SLI_BY_KIND } from "./support/factory";
import { probe, runSuite } from "./support/promtool-tests";
import * as sc from "./support/scenarios";

const KINDS = Object.keys(SLI_BY_KIND) as Array<keyof typeof SLI_BY_KIND>;

describeWithPromtool("promtool check rules", () => {
  test.each(SUPPORTED_PERIODS)("every SLI kind, period %s", (period) => {
    const defs = KINDS.map((k) => makeSlo({ name: k, sli: SLI_BY_KIND[k] }));
    const run = checkRulesText(emitRulesYaml(compileSlos(defs, { period, runbookBaseUrl: "https://rb" })));
    expect(run.output).toMatch(/SUCCESS: \d+ rules found/);
    expect(run.code).toBe(0);
  });

  test("the PrometheusRule's spec.groups", () => {
    const obj = toPrometheusRule(compileSlos([makeSlo()]), { name: "x" });
    const run = checkRulesText(JSON.stringify({ groups: obj.spec.groups }));
    expect(run.code).toBe(0);
  });

  const goldenDir = path.join(__dirname, "fixtures", "golden");
  test.each(fs.readdirSync(goldenDir).filter((f) => f.endsWith(".yaml")))("golden file %s", (f) => {
    const doc = parse(fs.readFileSync(path.join(goldenDir, f), "utf8"));
    const run = checkRulesText(JSON.stringify(doc.kind === "PrometheusRule" ? { groups: doc.spec.groups } : doc));
    expect([f, run.code, run.output]).toEqual([f, 0, expect.stringMatching(/SUCCESS/)]);
  });
});

describeWithPromtool("promtool test rules: Workbook scenarios per SLI kind", () => {
  test.each(KINDS)("%s SLI", (kind) => {
    const def = makeSlo({ name: kind, sli: SLI_BY_KIND[kind] });
    const result = compileSlos([def]);
    const w = result.slos[0]!.windows;
    const scenarios = [
      sc.outageThenRecovery(def, w),
      sc.burnRate10(def, w),
      sc.burnRate09(def),
      sc.zeroTraffic(def),
      sc.trafficThenSilence(def),
    ];
    const base = {
      rules: emitRulesYaml(result),
      groupOrder: result.slos[0]!.groups.map((g) => g.name),
    };
    // One promtool file per evaluation interval (the interval is per file).
    for (const interval of [...new Set(scenarios.map((s) => s.evaluationInterval))]) {
      const groups = scenarios.filter((s) => s.evaluationInterval === interval).map((s) => s.group);
      const run = runSuite({ ...base, evaluationInterval: interval, groups });
      if (run.code !== 0) throw new Error(`promtool test rules failed (files kept in ${run.dir}):\n${run.output}`);
      fs.rmSync(run.dir, { recursive: true, force: true });
    }

    if (process.env.SLO_PROBE === "1") {
      const withProbes = scenarios.filter((s) => s.probes.length > 0);
      const probed = probe({ ...base, evaluationInterval: sc.EVAL, groups: withProbes.map((s) => ({ ...s.group, checks: s.probes })) });
      const rows = withProbes.map((s) => `${s.group.name}: observed ${s.probes.map((_, i) => probed.get(`${s.group.name}/${i}`)?.join(",")).join(" / ")} s; bound ${JSON.stringify(s.bound)}`);
      console.log(rows.join("\n"));
    }
  });
});
