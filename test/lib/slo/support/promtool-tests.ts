/** Builds promtool `test rules` files from scenarios (input series + checks), and runs them. */
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { parseExprFailures, runPromtool, runPromtoolAsync, tempDir, type ExprFailure, type PromtoolRun } from "../../../support/promtool";
import type { InputSeries } from "./series";

export interface Sample {
  readonly labels: string;
  readonly value: number;
}

/** One `promql_expr_test`; `expect: []` means "no samples". */
export interface ExprCheck {
  readonly expr: string;
  /** Seconds since the start of the test. */
  readonly at: number;
  readonly expect: readonly Sample[];
  /** Why this check holds, for failure messages. */
  readonly why?: string;
}

export interface TestGroup {
  readonly name: string;
  /** Seconds between input samples. */
  readonly step: number;
  readonly series: readonly InputSeries[];
  readonly checks: readonly ExprCheck[];
}

export interface PromtoolSuite {
  readonly rules: string;
  /** Every rule group name, in evaluation order (promtool 2.42 otherwise evaluates groups randomly). */
  readonly groupOrder: readonly string[];
  /** Seconds; promtool evaluates EVERY group at this interval, whatever the group's own `interval`. */
  readonly evaluationInterval: number;
  readonly groups: readonly TestGroup[];
}

export function testFileYaml(ruleFile: string, s: PromtoolSuite): string {
  return stringify(
    {
      rule_files: [ruleFile],
      evaluation_interval: `${s.evaluationInterval}s`,
      group_eval_order: [...s.groupOrder],
      tests: s.groups.map((g) => ({
        name: g.name,
        interval: `${g.step}s`,
        input_series: g.series.map((x) => ({ series: x.series, values: x.values })),
        promql_expr_test: g.checks.map((c) => ({
          expr: c.expr,
          eval_time: `${c.at}s`,
          exp_samples: c.expect.map((e) => ({ labels: e.labels, value: e.value })),
        })),
      })),
    },
    { lineWidth: 0 },
  );
}

export interface SuiteRun extends PromtoolRun {
  readonly dir: string;
  readonly failures: ExprFailure[];
}

/** Writes the rules and the test file into a temp dir and runs `promtool test rules`. */
export function runSuite(s: PromtoolSuite, prefix = "slo-promtool"): SuiteRun {
  const dir = tempDir(prefix);
  fs.writeFileSync(path.join(dir, "rules.yaml"), s.rules);
  fs.writeFileSync(path.join(dir, "test.yaml"), testFileYaml("rules.yaml", s));
  const run = runPromtool(["test", "rules", "test.yaml"], dir);
  return { ...run, dir, failures: parseExprFailures(run.output) };
}

/** {@link runSuite} without blocking, so a suite can run several promtool files at once. */
export async function runSuiteAsync(s: PromtoolSuite, prefix = "slo-promtool"): Promise<SuiteRun> {
  const dir = tempDir(prefix);
  fs.writeFileSync(path.join(dir, "rules.yaml"), s.rules);
  fs.writeFileSync(path.join(dir, "test.yaml"), testFileYaml("rules.yaml", s));
  const run = await runPromtoolAsync(["test", "rules", "test.yaml"], dir);
  return { ...run, dir, failures: parseExprFailures(run.output) };
}

/**
 * Several suites in ONE `promtool test rules` process (one test file and one rule file each): a process costs
 * about as much as a short suite, so suites that need no other core run together.
 */
export async function runSuitesAsync(suites: readonly PromtoolSuite[], prefix = "slo-promtool"): Promise<SuiteRun> {
  const dir = tempDir(prefix);
  const tests = suites.map((s, i) => {
    fs.writeFileSync(path.join(dir, `rules-${i}.yaml`), s.rules);
    fs.writeFileSync(path.join(dir, `test-${i}.yaml`), testFileYaml(`rules-${i}.yaml`, s));
    return `test-${i}.yaml`;
  });
  const run = await runPromtoolAsync(["test", "rules", ...tests], dir);
  return { ...run, dir, failures: parseExprFailures(run.output) };
}

/**
 * Runs expressions whose values we want to SEE (not assert): each is expected to return nothing, and the
 * values promtool reports as "got" are returned, keyed by `<group>/<expr index>`.
 */
export function probe(s: PromtoolSuite): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const g of s.groups) {
    const run = runSuite({ ...s, groups: [g] }, "slo-probe");
    g.checks.forEach((c, i) => {
      const f = run.failures.find((x) => x.expr === c.expr && Math.abs(secondsOf(x.time) - c.at) < 1e-6);
      out.set(`${g.name}/${i}`, f ? f.got.map((x) => x.value) : []);
    });
    fs.rmSync(run.dir, { recursive: true, force: true });
  }
  return out;
}

function secondsOf(t: string): number {
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
  let total = 0;
  for (const m of t.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/g)) total += Number(m[1]) * units[m[2]!]!;
  return total;
}
