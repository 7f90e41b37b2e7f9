/** Alert timelines from promtool: at which evaluation times an alert was firing, and how two compare. */
import type { ExprCheck, PromtoolSuite, TestGroup } from "./promtool-tests";
import { runSuite, runSuiteAsync } from "./promtool-tests";
import * as fs from "node:fs";

/** Checks "this expression returns nothing" at every evaluation time; the failures are the timeline. */
export function everyEval(expr: string, end: number, interval: number, firing: ReadonlySet<number> = new Set()): ExprCheck[] {
  const out: ExprCheck[] = [];
  for (let t = 0; t <= end; t += interval) out.push({ expr, at: t, expect: firing.has(t) ? [{ labels: "{}", value: 1 }] : [] });
  return out;
}

/** Runs the suite (whose checks are `everyEval` with nothing expected) and returns the firing times per expr. */
export function timelines(s: PromtoolSuite): Map<string, Set<number>> {
  return timelinesOf(s, runSuite(s, "slo-timeline"));
}

/** {@link timelines} without blocking. */
export async function timelinesAsync(s: PromtoolSuite): Promise<Map<string, Set<number>>> {
  return timelinesOf(s, await runSuiteAsync(s, "slo-timeline"));
}

function timelinesOf(s: PromtoolSuite, run: { dir: string; failures: ReturnType<typeof runSuite>["failures"] }): Map<string, Set<number>> {
  fs.rmSync(run.dir, { recursive: true, force: true });
  const out = new Map<string, Set<number>>();
  for (const g of s.groups) for (const c of g.checks) if (!out.has(c.expr)) out.set(c.expr, new Set());
  for (const f of run.failures) {
    if (f.got.length === 0) continue;
    out.get(f.expr)?.add(secondsOf(f.time));
  }
  return out;
}

export function secondsOf(t: string): number {
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
  let total = 0;
  for (const m of t.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/g)) total += Number(m[1]) * units[m[2]!]!;
  return total;
}

/** Firing episodes `[start, end]` (first and last firing evaluation) from a set of firing times. */
export function episodes(times: ReadonlySet<number>, interval: number): Array<[number, number]> {
  const sorted = [...times].sort((a, b) => a - b);
  const out: Array<[number, number]> = [];
  for (const t of sorted) {
    const last = out[out.length - 1];
    if (last && t - last[1] <= interval) last[1] = t;
    else out.push([t, t]);
  }
  return out;
}

export type { TestGroup };
