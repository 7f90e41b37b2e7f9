import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseExprFailures, promDurationSeconds } from "./promtool";

const root = path.resolve(__dirname, "../..");

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the fixture suite in a child jest with promtool hidden (PATH without it, PROMTOOL unset). */
function runFixture(ci: string): Promise<Run> {
  // An empty directory as PATH: node is started by absolute path, and nothing can find promtool.
  const env = { ...process.env, CI: ci, PROMTOOL: "", PATH: fs.mkdtempSync(path.join(os.tmpdir(), "no-promtool-")) };
  const args = [require.resolve("jest/bin/jest"), "--rootDir", root, "--roots", "<rootDir>/test/support/fixtures", "--testMatch", "**/*.fixture.ts", "--ci", "--silent=false"];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

describe("describeWithPromtool without promtool", () => {
  // The two child jests are independent: start both on first use, so they run side by side.
  let runs: { ci: Promise<Run>; local: Promise<Run> } | undefined;
  const fixtureRuns = () => (runs ??= { ci: runFixture("true"), local: runFixture("") });

  test("fails the suite when CI=true", async () => {
    const r = await fixtureRuns().ci;
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/promtool installed \(required when CI=true\)/);
    expect(r.stderr).toMatch(/apt-get install prometheus/);
  }, 60000);

  test("skips the suite with a plain message elsewhere", async () => {
    const r = await fixtureRuns().local;
    expect(r.status).toBe(0);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/Skipped suite "fixture suite": promtool not found \(apt-get install prometheus/);
    expect(out).toMatch(/brew install prometheus/);
    expect(out).toMatch(/1 skipped/);
  }, 60000);
});

describe("promtool output parsing", () => {
  test("failed promql_expr_test blocks", () => {
    const out = [
      "  FAILED:",
      '    expr: "count(ALERTS{a=\\"b\\"})", time: 1h2m30s,',
      "        exp: nil",
      '        got: {} 1E+00',
      '    expr: "x", time: 3m,',
      '        exp: {__name__="x"} 0E+00',
      "        got: nil",
    ].join("\n");
    expect(parseExprFailures(out)).toEqual([
      { expr: 'count(ALERTS{a="b"})', time: "1h2m30s", got: [{ labels: "{}", value: 1 }] },
      { expr: "x", time: "3m", got: [] },
    ]);
  });
  test.each([["1h2m30s", 3750], ["3d", 259200], ["500ms", 0.5]])("duration %s = %d s", (d, s) => {
    expect(promDurationSeconds(d)).toBe(s);
  });
});
