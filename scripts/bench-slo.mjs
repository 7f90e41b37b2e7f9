#!/usr/bin/env node
// SLO compiler benchmark (plain node on the compiled dist/ code; build with `npx tsc -p tsconfig.build.json`,
// which this script runs when dist/ is missing or older than lib/slo). Prints Markdown tables:
//   1. Whole-process wall time of a child `node` that loads 1,000 SLOs from YAML (parse + validate), compiles
//      them and writes the rules file; median of --runs (default 5) after one warm-up. Goal: < 1 s.
//   2. Per SLO of Sloth's own golden inputs 01–03 (test/fixtures/sloth-golden): rule count and the raw-data range
//      seconds Prometheus evaluates per second (Σ over rules reading raw data of the range durations of their
//      raw selectors ÷ the group's interval), ours next to Sloth's expected.yaml. Goal: ≤ 0.5× Sloth.
//      Sloth's groups have no `interval:`, so they run at the Prometheus global evaluation_interval: we
//      assume 1m (the kube-prometheus-stack and Sloth docs default); with 30s Sloth's cost doubles.
// Options: --runs N, --count N (SLOs in the whole-process run, default 1000).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(path.join(root, "package.json"));
const { values: opts } = parseArgs({ options: { runs: { type: "string", default: "5" }, count: { type: "string", default: "1000" } } });
const runs = Math.max(1, Number(opts.runs));
const count = Math.max(1, Number(opts.count));
const golden = path.join(root, "test/fixtures/sloth-golden");
const SLOTH_DEFAULT_INTERVAL_S = 60;

// --- build if needed ---------------------------------------------------------------------------------
const distCompile = path.join(root, "dist/lib/slo/compile.js");
const newestSource = Math.max(...fs.readdirSync(path.join(root, "lib/slo"), { recursive: true })
  .filter((f) => String(f).endsWith(".ts"))
  .map((f) => fs.statSync(path.join(root, "lib/slo", String(f))).mtimeMs));
const distDir = path.join(root, "dist/lib/slo");
const newestDist = fs.existsSync(distDir)
  ? Math.max(0, ...fs.readdirSync(distDir, { recursive: true }).filter((f) => String(f).endsWith(".js")).map((f) => fs.statSync(path.join(distDir, String(f))).mtimeMs))
  : 0;
if (!fs.existsSync(distCompile) || newestDist < newestSource) {
  process.stderr.write("bench-slo: building dist/ (npx tsc -p tsconfig.build.json)\n");
  // tsc emits even when files outside lib/slo have type errors; the check below is what matters here.
  spawnSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: root, stdio: "ignore" });
  if (!fs.existsSync(distCompile)) {
    console.error("bench-slo: dist/lib/slo/compile.js missing after the build");
    process.exit(1);
  }
}
const slo = require(path.join(root, "dist/lib/slo/index.js"));

// --- 1. whole process: 1,000 SLOs ---------------------------------------------------------------------
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bench-slo-"));
const specFile = path.join(tmp, "slos.yaml");
const kinds = [
  (i) => `    sli:\n      events:\n        error_query: sum(rate(http_requests_total{job="svc${i}",code=~"5.."}[{{.window}}]))\n        total_query: sum(rate(http_requests_total{job="svc${i}"}[{{.window}}]))\n`,
  (i) => `    sli:\n      raw:\n        error_ratio_query: sum(rate(http_requests_total{job="svc${i}",code=~"5.."}[{{.window}}])) / sum(rate(http_requests_total{job="svc${i}"}[{{.window}}]))\n`,
];
let spec = `version: "prometheus/v1"\nservice: "bench"\nlabels:\n  team: bench\nslos:\n`;
for (let i = 0; i < count; i++) {
  spec += `  - name: "slo${i}"\n    objective: ${i % 2 ? 99.9 : 99.5}\n${kinds[i % 4 === 3 ? 1 : 0](i)}    alerting:\n      name: Slo${i}Burn\n      labels:\n        owner: team${i % 7}\n      page_alert:\n        labels:\n          route: pager\n      ticket_alert:\n        labels:\n          route: tickets\n`;
}
fs.writeFileSync(specFile, spec);
const outFile = path.join(tmp, "rules.yaml");
const child = `
const t0 = process.hrtime.bigint();
const slo = require(${JSON.stringify(path.join(root, "dist/lib/slo/index.js"))});
const fs = require("node:fs");
const t1 = process.hrtime.bigint();
const defs = slo.loadSloFiles([${JSON.stringify(specFile)}]);
const t2 = process.hrtime.bigint();
const result = slo.compileSlos(defs);
const t3 = process.hrtime.bigint();
fs.writeFileSync(${JSON.stringify(outFile)}, slo.emitRulesYaml(result));
const t4 = process.hrtime.bigint();
const ms = (a, b) => Number(b - a) / 1e6;
process.stdout.write(JSON.stringify({ require: ms(t0, t1), load: ms(t1, t2), compile: ms(t2, t3), emit: ms(t3, t4), slos: result.slos.length }));
`;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const walls = [];
const stages = [];
for (let i = 0; i <= runs; i++) {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["-e", child], { encoding: "utf8" });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) {
    console.error(`bench-slo: child failed:\n${r.stderr}`);
    process.exit(1);
  }
  if (i === 0) continue; // warm-up (file cache)
  walls.push(wall);
  stages.push(JSON.parse(r.stdout));
}
const st = (k) => median(stages.map((s) => s[k])).toFixed(0);
const outBytes = fs.statSync(outFile).size;
console.log(`\n### SLO compiler: whole process, ${count} SLOs (median of ${runs})\n`);
console.log("| wall (s) | goal | require (ms) | load+validate (ms) | compile (ms) | emit+write (ms) | output |");
console.log("|---|---|---|---|---|---|---|");
console.log(`| ${median(walls).toFixed(3)} | < 1 s | ${st("require")} | ${st("load")} | ${st("compile")} | ${st("emit")} | ${(outBytes / 1e6).toFixed(1)} MB |`);

// --- 2. per-SLO evaluation cost, ours vs Sloth ----------------------------------------------------------
const UNIT = { s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
const seconds = (d) => [...d.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)].reduce((a, m) => a + (m[2] === "ms" ? Number(m[1]) / 1000 : Number(m[1]) * UNIT[m[2]]), 0);
/**
 * Range selectors in an expression, split into raw data (a metric name without `:`, i.e. not a recording
 * rule's output) and recorded series. Subqueries `(…)[5m:]` count as raw data.
 */
function ranges(expr) {
  let raw = 0;
  let recorded = 0;
  for (const m of expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*(\{[^{}]*\})?\s*\)?\[(\d+(?:ms|[smhdwy]))(:[^\]]*)?\]/g)) {
    const name = m[1] ?? "";
    const secs = seconds(m[3]);
    if (name.includes(":")) recorded += secs;
    else raw += secs;
  }
  return { raw, recorded };
}
function cost(groups, sloId) {
  let rules = 0;
  let raw = 0;
  let recorded = 0;
  for (const g of groups.filter((x) => x.name.endsWith(sloId) || x.name.includes(`-${sloId}-`))) {
    const interval = g.interval ? seconds(g.interval) : SLOTH_DEFAULT_INTERVAL_S;
    for (const r of g.rules) {
      rules++;
      const c = ranges(String(r.expr));
      raw += c.raw / interval;
      recorded += c.recorded / interval;
    }
  }
  return { rules, raw, recorded };
}
const YAML = require("yaml");
const cases = [["01-base-30d", "30d"], ["02-base-28d", "28d"], ["03-custom-windows-7d", "7d"]];
console.log("\n### Per SLO: rules and range seconds evaluated per second (Sloth at a 1m global interval)\n");
console.log("| case | SLO (SLI) | rules ours / Sloth | raw-data range s/s ours | Sloth | ours ÷ Sloth (goal ≤ 0.5) | recorded-series range s/s ours / Sloth |");
console.log("|---|---|---|---|---|---|---|");
for (const [name, period] of cases) {
  const dir = path.join(golden, name);
  const result = slo.compileSlos(slo.loadSloFiles([path.join(dir, "input.yaml")]), { period });
  const ours = slo.toRuleGroups(result);
  const sloth = YAML.parse(fs.readFileSync(path.join(dir, "expected.yaml"), "utf8")).groups;
  for (const s of result.slos) {
    const o = cost(ours, s.slo.id);
    const t = cost(sloth, s.slo.id);
    console.log(
      `| ${name} | ${s.slo.id} (${s.slo.sli.kind}) | ${o.rules} / ${t.rules} | ${o.raw.toFixed(0)} | ${t.raw.toFixed(0)} | ` +
        `${(o.raw / t.raw).toFixed(4)} | ${o.recorded.toFixed(0)} / ${t.recorded.toFixed(0)} |`,
    );
  }
}
fs.rmSync(tmp, { recursive: true, force: true });
