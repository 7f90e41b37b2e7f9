/**
 * `npm run diff -- <env>` and `npm run deploy -- <env>` (scripts/cdktf.mjs): cdktf's diff takes one stack, so
 * the script synthesizes the environment once and diffs each of its stacks, dependencies first; deploy takes
 * the environment's pattern. Every cdktf command of the project runs with CHECKPOINT_DISABLE=1. The commands are
 * checked with --dry-run (cdktf itself needs Terraform and credentials).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const out = fs.mkdtempSync(path.join(os.tmpdir(), "cdktf-scripts-"));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

function script(args: string[]) {
  const env = { ...process.env };
  delete env.CHECKPOINT_DISABLE;
  return spawnSync(process.execPath, [path.join(ROOT, "scripts/cdktf.mjs"), ...args], { cwd: ROOT, encoding: "utf8", env, timeout: 240_000 });
}

describe("npm run diff|deploy", () => {
  test("package.json runs them through scripts/cdktf.mjs, and synth sets CHECKPOINT_DISABLE too", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    expect(pkg.scripts.diff).toBe("node scripts/cdktf.mjs diff");
    expect(pkg.scripts.deploy).toBe("node scripts/cdktf.mjs deploy");
    expect(pkg.scripts.synth).toBe("node scripts/synth.mjs");
    expect(fs.readFileSync(path.join(ROOT, "scripts/synth.mjs"), "utf8")).toMatch(/^process\.env\.CHECKPOINT_DISABLE \?\?= "1";$/m);
  });

  test("the README runs diff and deploy through them, never cdktf's diff on a pattern, and names folders that exist", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    expect(readme).toMatch(/^npm run diff -- dev\b/m);
    expect(readme).toMatch(/^npm run deploy -- dev\b/m);
    expect(readme).not.toMatch(/cdktf diff '[^']*\*/);
    for (const [, folder] of readme.matchAll(/^npx sre-platform slo \w+ (\S+)/gm)) expect(fs.existsSync(path.join(ROOT, folder!))).toBe(true);
  });

  test("diff synthesizes the environment once and diffs each of its stacks after the stacks it depends on", () => {
    const r = script(["diff", "dev", "--dry-run", "--out", out]);
    expect(r.status).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8")) as { stacks: Record<string, { name: string; dependencies?: string[] }> };
    const dev = Object.values(manifest.stacks).filter((s) => s.name.startsWith("dev-"));
    expect(dev.length).toBeGreaterThan(5);
    const lines = r.stdout.trim().split("\n");
    const stacks = lines.map((l) => /^CHECKPOINT_DISABLE=1 cdktf diff (\S+) --skip-synth --output (\S+)$/.exec(l)?.[1]);
    expect(lines.every((l) => l.endsWith(`--output ${out}`))).toBe(true);
    expect([...stacks].sort()).toEqual(dev.map((s) => s.name).sort());
    for (const s of dev) for (const d of s.dependencies ?? []) expect(stacks.indexOf(d)).toBeLessThan(stacks.indexOf(s.name));
    expect(r.stderr.trim().split("\n").pop()).toBe(`would have diffed ${dev.length} stacks of dev`);
  }, 240_000);

  test("deploy takes the environment's stacks as cdktf's pattern, cdktf options after --", () => {
    const r = script(["deploy", "dev", "--dry-run", "--out", out, "--", "--auto-approve"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`CHECKPOINT_DISABLE=1 cdktf deploy dev-* --skip-synth --output ${out} --auto-approve\n`);
  }, 240_000);

  test.each([
    [["diff"], /^sre-platform: no environment given; usage: npm run diff\|deploy -- <env>/],
    [["diff", "dev-*"], /^sre-platform: environment "dev-\*": give one environment name, not a pattern or a list\n$/],
    [["diff", "dev", "prod"], /^sre-platform: one environment at a time; got dev and prod\n$/],
    [["plan", "dev"], /^sre-platform: unknown command "plan"; allowed: diff, deploy\n$/],
  ])("refuses %j with one line and exit 2", (args, message) => {
    const r = script(args);
    expect([r.status, r.stdout]).toEqual([2, ""]);
    expect(r.stderr).toMatch(message);
  });

  test("an unknown environment stops at the synth, which names the allowed ones", () => {
    const r = script(["diff", "prd", "--dry-run", "--out", out]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/environment "prd".*allowed: one of dev, staging, prod/);
  }, 240_000);
});
