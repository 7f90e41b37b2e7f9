#!/usr/bin/env node
// `npm run diff -- <env>` and `npm run deploy -- <env>`: the cdktf CLI over one environment's stacks.
// The environment is synthesized once (`node scripts/synth.mjs --env <env>`, which refuses an unknown name with
// the allowed ones), then cdktf runs on that output without synthesizing again: `cdktf deploy '<env>-*'` (deploy
// orders the stacks itself), and `cdktf diff <stack>` once per stack in dependency order, since cdktf's diff takes
// a single stack. The CLI runs with CHECKPOINT_DISABLE=1: its version check calls HashiCorp's checkpoint
// service, which logs an error offline although nothing failed.
//
//   node scripts/cdktf.mjs diff|deploy <env> [--out DIR] [--dry-run] [-- <cdktf options>]
//
// --dry-run prints the cdktf commands (one per line, with the environment they get) instead of running them; the
// synth's own report goes to stderr, so stdout holds only those lines.
// Exit codes: 0 done, 1 a synth or a cdktf command failed, 2 usage error.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const COMMANDS = ["diff", "deploy"];
const USAGE = "usage: npm run diff|deploy -- <env> [--out DIR] [--dry-run] [-- <cdktf options>]";

/** The environment the project's cdktf commands run with. */
export function cdktfEnv(base = process.env) {
  return { ...base, CHECKPOINT_DISABLE: "1" };
}

/** The stacks of `env` in `manifest` (cdktf.out/manifest.json), each after the stacks it depends on. */
export function stacksInOrder(manifest, env) {
  const stacks = Object.values(manifest.stacks).filter((s) => s.name.startsWith(`${env}-`));
  const byName = new Map(stacks.map((s) => [s.name, s]));
  const done = new Set();
  const order = [];
  const visit = (name, path) => {
    if (done.has(name) || !byName.has(name)) return;
    if (path.includes(name)) throw new Error(`stack dependency cycle: ${[...path, name].join(" → ")}`);
    for (const dep of byName.get(name).dependencies ?? []) visit(dep, [...path, name]);
    done.add(name);
    order.push(name);
  };
  for (const s of [...stacks].sort((a, b) => a.name.localeCompare(b.name))) visit(s.name, []);
  return order;
}

/** The argument lists of the cdktf commands for `command` over `stacks`. */
export function cdktfCommands(command, env, stacks, outdir, extra) {
  const common = ["--skip-synth", "--output", outdir, ...extra];
  return command === "deploy" ? [["deploy", `${env}-*`, ...common]] : stacks.map((s) => ["diff", s, ...common]);
}

function parse(argv) {
  const sep = argv.indexOf("--");
  const own = sep < 0 ? argv : argv.slice(0, sep);
  const extra = sep < 0 ? [] : argv.slice(sep + 1);
  const [command, ...rest] = own;
  if (!COMMANDS.includes(command)) throw new Error(`unknown command ${JSON.stringify(command ?? "")}; allowed: ${COMMANDS.join(", ")}`);
  let env;
  let outdir = "cdktf.out";
  let dryRun = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === "--dry-run") dryRun = true;
    else if (a === "--out") {
      outdir = rest[++i];
      if (!outdir) throw new Error("option --out needs a value");
    } else if (a.startsWith("-")) throw new Error(`unknown option ${a}; allowed: --out, --dry-run (cdktf's own options after --)`);
    else if (env === undefined) env = a;
    else throw new Error(`one environment at a time; got ${env} and ${a}`);
  }
  if (env === undefined) throw new Error(`no environment given; ${USAGE}`);
  if (/[*,]/.test(env)) throw new Error(`environment ${JSON.stringify(env)}: give one environment name, not a pattern or a list`);
  return { command, env, outdir, dryRun, extra };
}

function main(argv) {
  let args;
  try {
    args = parse(argv);
  } catch (e) {
    process.stderr.write(`sre-platform: ${e.message}\n`);
    return 2;
  }
  const env = cdktfEnv();
  const synth = spawnSync(process.execPath, [path.join(root, "scripts/synth.mjs"), "--env", args.env, "--out", args.outdir], { cwd: root, stdio: ["inherit", process.stderr, "inherit"], env });
  if (synth.status !== 0) return 1;
  const manifest = JSON.parse(fs.readFileSync(path.resolve(root, args.outdir, "manifest.json"), "utf8"));
  const stacks = stacksInOrder(manifest, args.env);
  const commands = cdktfCommands(args.command, args.env, stacks, args.outdir, args.extra);
  const cli = path.join(root, "node_modules/cdktf-cli/bundle/bin/cdktf");
  const failed = [];
  for (const cmd of commands) {
    if (args.dryRun) {
      process.stdout.write(`CHECKPOINT_DISABLE=${env.CHECKPOINT_DISABLE} cdktf ${cmd.join(" ")}\n`);
      continue;
    }
    const r = spawnSync(process.execPath, [cli, ...cmd], { cwd: root, stdio: "inherit", env });
    if (r.status !== 0) failed.push(cmd[1]);
  }
  if (failed.length > 0) {
    process.stderr.write(`sre-platform: cdktf ${args.command} failed for ${failed.join(", ")}\n`);
    return 1;
  }
  const what = args.command === "deploy" ? "deployed" : "diffed";
  process.stderr.write(`${args.dryRun ? "would have " : ""}${what} ${stacks.length} stacks of ${args.env}\n`);
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
