#!/usr/bin/env node
// `npm run bench`: prints Markdown tables of median wall time and peak memory.
//   1. Synthesis of every environment: `npm run synth` (the fast path) against `cdktf synth` running
//      main.ts through ts-node, the path `cdktf init` sets up.
//   2. The SLO compiler (scripts/bench-slo.mjs).
// Options: --runs N (default 5), --skip-cdktf (leave out the slow ts-node baseline), --skip-slo.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
let opts;
try {
  opts = parseArgs({ options: { runs: { type: "string", default: "5" }, "skip-cdktf": { type: "boolean" }, "skip-slo": { type: "boolean" } } }).values;
} catch (e) {
  console.error(`${e.message}\nusage: npm run bench -- [--runs N] [--skip-cdktf] [--skip-slo]`);
  process.exit(1);
}
const runs = Number(opts.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`--runs: got ${JSON.stringify(opts.runs)}; allowed: a whole number of at least 1`);
  process.exit(1);
}
const gnuTime = ["/usr/bin/time", "/bin/time"].find((p) => fs.existsSync(p));
const env = { ...process.env, CHECKPOINT_DISABLE: "1", CI: "", FORCE_COLOR: "0" };

/** Runs a command once; wall time from here, peak RSS of the process tree's largest process from GNU time. */
function measure(cmd, args) {
  const stats = path.join(os.tmpdir(), `bench-${process.pid}.time`);
  const argv = gnuTime ? [gnuTime, ["-f", "%M", "-o", stats, cmd, ...args]] : [cmd, args];
  const started = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv[1], { cwd: root, env, encoding: "utf8" });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${r.status}):\n${r.stderr || r.stdout}`);
  const kb = gnuTime ? Number(fs.readFileSync(stats, "utf8").trim().split("\n").pop()) : NaN;
  return { wall, mb: kb / 1024 };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function bench(label, cmd, args, n) {
  process.stderr.write(`${label}: warm-up`);
  measure(cmd, args); // builds the bundle / warms the file cache; not counted
  const samples = [];
  for (let i = 0; i < n; i++) {
    process.stderr.write(` ${i + 1}`);
    samples.push(measure(cmd, args));
  }
  process.stderr.write("\n");
  return { label, runs: n, wall: median(samples.map((s) => s.wall)), mb: Math.max(...samples.map((s) => s.mb)) };
}

const out = fs.mkdtempSync(path.join(os.tmpdir(), "bench-synth-"));
const rows = [bench("`npm run synth` (esbuild bundle, node)", "npm", ["run", "--silent", "synth", "--", "--out", path.join(out, "fast")], runs)];
if (!opts["skip-cdktf"]) {
  const cdktf = path.join(root, "node_modules/.bin/cdktf");
  rows.push(bench("`cdktf synth` through cdktf.json (the CLI running the fast path)", cdktf, ["synth", "--output", path.join(out, "cli")], runs));
  rows.push(bench("`cdktf synth` (ts-node main.ts, as `cdktf init` sets up)", cdktf, ["synth", "--app", "npx ts-node main.ts", "--output", path.join(out, "cdktf")], runs));
}
const stacks = fs.readdirSync(path.join(out, "fast", "stacks")).length;
fs.rmSync(out, { recursive: true, force: true });

console.log(`\n### Synthesis of every environment (${stacks} stacks), ${os.cpus().length} cores, node ${process.version}\n`);
console.log("| command | runs | median wall | peak memory | vs fast path |");
console.log("|---|---:|---:|---:|---:|");
for (const r of rows) {
  const mem = Number.isNaN(r.mb) ? "n/a (install GNU time)" : `${r.mb.toFixed(0)} MB`;
  console.log(`| ${r.label} | ${r.runs} | ${r.wall.toFixed(2)} s | ${mem} | ${(r.wall / rows[0].wall).toFixed(1)}× |`);
}
console.log(`\nGoal: the fast path under 1.5 s and at least 20× faster than \`cdktf synth\` through ts-node.`);
console.log("Both paths import providers by deep path; a barrel import alone costs the ts-node path about 25 s.");

if (!opts["skip-slo"]) {
  const slo = path.join(root, "scripts/bench-slo.mjs");
  if (fs.existsSync(slo)) {
    const r = spawnSync(process.execPath, [slo], { cwd: root, env, stdio: "inherit" });
    process.exitCode = r.status ?? 1;
  }
}
