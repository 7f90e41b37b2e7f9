/**
 * promtool for jest: where it is, how to run it, and what to do when it is missing.
 *
 * - promtool found (PATH, or the PROMTOOL environment variable): the suite runs.
 * - missing and `CI=true`: the suite FAILS (CI installs Debian's `prometheus` package; a silent skip there
 *   would hide a broken proof).
 * - missing elsewhere: the suite is skipped and a plain message names it and says how to get promtool.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { stringify } from "yaml";
import * as os from "node:os";
import * as path from "node:path";
import { describeWithBinaries, findBinary, PROMTOOL } from "./binaries";

let cached: string | null | undefined;

/** Absolute path of promtool, or undefined. */
export function findPromtool(): string | undefined {
  if (cached === undefined) cached = findBinary(PROMTOOL) ?? null;
  return cached ?? undefined;
}

export const INSTALL_HINT = `${PROMTOOL.install}, or set ${PROMTOOL.envVar}=/path/to/promtool`;

/** `describe` that runs only with promtool; see the module comment for CI behaviour. */
export function describeWithPromtool(name: string, fn: () => void): void {
  describeWithBinaries(name, [PROMTOOL], fn);
}

export interface PromtoolRun {
  readonly code: number;
  readonly output: string;
}

/** Runs promtool with arguments, in `cwd`. */
export function runPromtool(args: readonly string[], cwd?: string): PromtoolRun {
  const bin = findPromtool();
  if (bin === undefined) throw new Error(`promtool not found; ${INSTALL_HINT}`);
  const r = spawnSync(bin, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status ?? -1, output: `${r.stdout ?? ""}${r.stderr ?? ""}` };
}

/**
 * How many promtool processes a suite runs at once: one per core. jest runs the suites in one process on a
 * small machine, so without this the other core idles while a suite waits for promtool.
 */
const MAX_CONCURRENT = Math.max(1, os.availableParallelism());
let running = 0;
const queue: Array<() => void> = [];

/** {@link runPromtool} without blocking: at most {@link MAX_CONCURRENT} run at once, the others queue. */
export async function runPromtoolAsync(args: readonly string[], cwd?: string): Promise<PromtoolRun> {
  const bin = findPromtool();
  if (bin === undefined) throw new Error(`promtool not found; ${INSTALL_HINT}`);
  if (running >= MAX_CONCURRENT) await new Promise<void>((resolve) => queue.push(resolve));
  running++;
  try {
    return await new Promise<PromtoolRun>((resolve, reject) => {
      const child = spawn(bin, args, { cwd });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on("data", (d: Buffer) => out.push(d));
      child.stderr.on("data", (d: Buffer) => err.push(d));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code: code ?? -1, output: `${Buffer.concat(out)}${Buffer.concat(err)}` }));
    });
  } finally {
    running--;
    queue.shift()?.();
  }
}

/** A fresh temporary directory for generated rule and test files. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

/**
 * `promtool check rules` then `promtool test rules` on rule groups and a unit-test file (its `rule_files` naming
 * `rules.yaml`), written to a temp dir that is removed after: one exit code (0 when both passed) and both outputs.
 */
export function checkAndTestRules(prefix: string, groups: unknown, tests: unknown): PromtoolRun {
  const dir = tempDir(prefix);
  try {
    fs.writeFileSync(path.join(dir, "rules.yaml"), stringify({ groups }));
    fs.writeFileSync(path.join(dir, "tests.yaml"), stringify(tests));
    const check = runPromtool(["check", "rules", "rules.yaml"], dir);
    const run = runPromtool(["test", "rules", "tests.yaml"], dir);
    return { code: check.code === 0 && run.code === 0 ? 0 : 1, output: `${check.output}\n${run.output}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `promtool check rules <file>`, written to a temp dir. */
export function checkRulesText(text: string, name = "rules.yaml"): PromtoolRun {
  const dir = tempDir("promtool-check");
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  try {
    return runPromtool(["check", "rules", file]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** One failed promql_expr_test as promtool prints it: the expression, time, and the samples it got. */
export interface ExprFailure {
  readonly expr: string;
  readonly time: string;
  readonly got: ReadonlyArray<{ labels: string; value: number }>;
}

/** Parses promtool's failure report (`expr: "…", time: 1h2m, … got: {…} 1E+00`). */
export function parseExprFailures(output: string): ExprFailure[] {
  const out: ExprFailure[] = [];
  const re = /expr: "((?:[^"\\]|\\.)*)", time: (\S+),\n\s+exp: .*\n\s+got: (.*)/g;
  for (const m of output.matchAll(re)) {
    const got = m[3]!.trim() === "nil" ? [] : [...m[3]!.matchAll(/(\{[^}]*\}) (\S+?)(?:,|$)/g)].map((g) => ({ labels: g[1]!, value: Number(g[2]) }));
    out.push({ expr: JSON.parse(`"${m[1]}"`) as string, time: m[2]!, got });
  }
  return out;
}

/** Parses a promtool duration like `1h2m30s` or `3d` into seconds. */
export function promDurationSeconds(d: string): number {
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
  let total = 0;
  for (const m of d.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/g)) total += Number(m[1]) * units[m[2]!]!;
  return total;
}
