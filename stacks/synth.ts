import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { App } from "cdktf";
import { ValidateBinaryVersion } from "cdktf/lib/validations";
import { ConfigError } from "../lib/config/validate-environment";
import type { EnvironmentConfig } from "../lib/config/environment-schema";
import { ValidationError } from "../constructs/common/validation";
import { buildEnvironmentWithAddons } from "./environment-stacks";
import { BootstrapStack } from "./bootstrap-stack";
import { writeEnvironmentGitOps } from "./gitops-artifacts";
import { writeEnvironmentDr } from "./dr-artifacts";
import { validateAddonConfigs } from "./addon-config";
import { compileEnvironmentSlos, EnvironmentSlos, writeEnvironmentSlos } from "./slo-artifacts";
import { validateEnvironmentDelivery, writeEnvironmentDelivery } from "./delivery-artifacts";
import { EnvironmentObservability, generateEnvironmentObservability, observabilityArtifacts, writeEnvironmentObservability } from "./observability-artifacts";
import { AlertRoutingError } from "../lib/observability/alertmanager/generate";
import { stateBucketPolicy } from "../lib/config/state-bucket-policy";
import { SloError } from "../lib/slo/model";
import { readInventory, renderSummary, type EnvironmentOutputs } from "./synth-summary";

const USAGE = `usage: node dist/main.js [--env NAME[,NAME…]] [--out DIR] [--quiet] [--bootstrap]
  --env NAME   environments to synthesize (default: all; or SRE_ENV)
  --out DIR    output folder (default: cdktf.out; or CDKTF_OUTDIR)
  --quiet      print nothing but warnings and errors (default: a summary of what was built and changed)
  --bootstrap  also synthesize each environment's <env>-bootstrap stack (or SRE_BOOTSTRAP=1)
  --help       this text`;

/** Reasons a synth stops before writing anything, with the message the user sees. */
class UsageError extends Error {}

/** Where the environments come from: the app's `environments/` (the stacks layer never imports it). */
export interface EnvironmentSource {
  /** Validates every environment and returns the named ones (all when none are named). */
  readonly load: (names?: readonly string[]) => EnvironmentConfig[];
  /** Every environment's name, for refusing SLO overrides of an unknown one. */
  readonly names: readonly string[];
  /**
   * The file each environment is written in, by name, so a configuration error names it.
   * @default - errors name the environment only
   */
  readonly sources?: ReadonlyMap<string, string>;
}

/**
 * Validates everything, builds every stack, and writes the synthesized output. Outside the cdktf CLI,
 * the output is written to a sibling temporary folder and swapped in only when complete, so a failure
 * never leaves a half-written cdktf.out.
 * @returns the process exit code
 */
export function runSynth(argv: readonly string[], env: NodeJS.ProcessEnv, environments: EnvironmentSource): number {
  const started = performance.now();
  let quiet = false;
  let selection: string[] | undefined;
  let outdir: string;
  let configs: EnvironmentConfig[];
  let slos: EnvironmentSlos[];
  let observability: EnvironmentObservability[];
  let bootstrap: boolean;
  try {
    const args = parseSynthArgs(argv, env);
    if (args.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    selection = args.environments;
    outdir = args.outdir;
    quiet = args.quiet;
    bootstrap = args.bootstrap;
    configs = environments.load(selection);
    validateAddonConfigs(configs);
    slos = configs.map((c) => compileEnvironmentSlos(c, environments.names, undefined, environments.sources?.get(c.name)));
    validateEnvironmentDelivery(configs, slos);
    observability = configs.map((c, i) => generateEnvironmentObservability(c, slos[i]!.compiled));
  } catch (e) {
    return reportBadInput(e instanceof ConfigError && environments.sources ? e.withSources(environments.sources) : e);
  }

  // Under `cdktf synth|diff|deploy` the CLI owns the output folder (CDKTF_OUTDIR); write into it directly.
  const underCli = env.CDKTF_OUTDIR !== undefined;
  const target = path.resolve(outdir);
  const staging = underCli ? target : `${target}.tmp-${process.pid}`;
  const previous = underCli ? new Map() : readInventory(target);
  try {
    if (!underCli) fs.rmSync(staging, { recursive: true, force: true });
    const app = new App({ outdir: staging, stackTraces: false });
    const built = configs.map((config, i) =>
      buildEnvironmentWithAddons(app, config, { prometheusRules: slos[i]!.sloCount > 0 ? [slos[i]!.prometheusRule] : [], slos: slos[i]!.compiled, ...observabilityArtifacts(observability[i]!) }),
    );
    // Only when asked: the bootstrap runs once per environment, with administrator credentials, before anything else.
    if (bootstrap) for (const config of configs) new BootstrapStack(app, config);
    withBinaryVersionChecksOncePerRun(() => app.synth());
    for (const s of slos) writeEnvironmentSlos(staging, s);
    for (const o of observability) writeEnvironmentObservability(staging, o);
    configs.forEach((config, i) => writeEnvironmentDelivery(staging, config, slos[i]!));
    for (const config of configs) writeStateBucketPolicy(staging, config);
    for (const config of configs) writeEnvironmentDr(staging, config, environments.sources?.get(config.name));
    built.forEach(({ addons }, i) => addons.gitops && writeEnvironmentGitOps(staging, configs[i]!.name, addons.gitops));
    if (!underCli) swapInto(staging, target);
  } catch (e) {
    if (!underCli) removeQuietly(staging);
    return reportBadInput(isFileSystemError(e) ? new UsageError(`--out: cannot write ${JSON.stringify(outdir)}: ${e.message}`) : e);
  }
  const outputs: EnvironmentOutputs[] = configs.map((c, i) => ({
    environment: c.name,
    slos: slos[i]!.sloCount,
    alerts: [...slos[i]!.compiled.slos.flatMap((s) => s.groups), ...slos[i]!.compiled.services].reduce((m, g) => m + g.rules.filter((r) => "alert" in r).length, 0),
    runbooks: observability[i]!.runbooks.length,
    dashboards: observability[i]!.dashboards.length,
    warnings: slos[i]!.warnings,
  }));
  // Under `cdktf synth|diff|deploy` the CLI reports on stdout; the app adds nothing there but its warnings on stderr.
  if (quiet || underCli) {
    for (const o of outputs) for (const w of o.warnings) process.stderr.write(`warning: ${o.environment}: ${w}\n`);
    return 0;
  }
  const shown = path.relative(process.cwd(), target);
  const current = readInventory(target);
  // Only the selected environments' stacks are compared: a synth of dev alone does not "remove" prod.
  const selected = new Map([...previous].filter(([k]) => configs.some((c) => k.startsWith(`${c.name}-`))));
  process.stdout.write(
    renderSummary({ shownOutdir: shown.startsWith("..") ? target : shown || ".", previous: selected, current, environments: outputs, elapsedMs: performance.now() - started }),
  );
  return 0;
}

/**
 * Runs `synth` with cdktf's binary-version checks memoised. cdktf 0.21 adds a `terraform version` check
 * (`ValidateTerraformVersion`, a `ValidateBinaryVersion`) to every stack that has a `moved` block, and to every
 * import and `terraform_data` resource, and each check spawns `terraform version` (about 0.1 s). The binary on
 * PATH cannot change within one synth, so the first verdict of each distinct check (command, constraint, hint)
 * is the verdict of every repetition: every stack still fails with cdktf's own message when Terraform is missing
 * or too old, at the cost of one process. The stacks still pin `required_version`, which Terraform enforces.
 */
function withBinaryVersionChecksOncePerRun<T>(synth: () => T): T {
  const proto = ValidateBinaryVersion.prototype;
  const validate = Object.getOwnPropertyDescriptor(proto, "validate");
  const verdicts = new Map<string, string[]>();
  proto.validate = function (this: ValidateBinaryVersion): string[] {
    const check = this as unknown as { versionCommand: string; versionConstraint: string; hint?: string };
    const key = JSON.stringify([check.versionCommand, check.versionConstraint, check.hint ?? null]);
    let verdict = verdicts.get(key);
    if (verdict === undefined) {
      verdict = (validate!.value as () => string[]).call(this);
      verdicts.set(key, verdict);
    }
    return [...verdict];
  };
  try {
    return synth();
  } finally {
    Object.defineProperty(proto, "validate", validate!);
  }
}

function parseSynthArgs(argv: readonly string[], env: NodeJS.ProcessEnv): { environments?: string[]; outdir: string; help: boolean; quiet: boolean; bootstrap: boolean } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { env: { type: "string", multiple: true }, out: { type: "string" }, quiet: { type: "boolean", short: "q" }, help: { type: "boolean", short: "h" }, bootstrap: { type: "boolean" } },
      allowPositionals: false,
      strict: true,
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.replace(/\. To specify.*$/s, "")}\n${USAGE}`);
  }
  const fromArgs = (parsed.values.env ?? []).flatMap((v) => v.split(",")).map((s) => s.trim());
  const fromEnv = (env.SRE_ENV ?? "").split(",").map((s) => s.trim());
  const names = (fromArgs.length > 0 ? fromArgs : fromEnv).filter((s) => s !== "");
  if (parsed.values.out === "") throw new UsageError(`--out: got ""; allowed: a folder path\n${USAGE}`);
  const bootstrapSwitch = env.SRE_BOOTSTRAP ?? "";
  if (!["", "0", "1", "true", "false"].includes(bootstrapSwitch)) {
    throw new UsageError(`SRE_BOOTSTRAP: got ${JSON.stringify(bootstrapSwitch)}; allowed: 1 or true (synthesize the bootstrap stacks), 0, false or unset`);
  }
  return {
    environments: names.length > 0 ? names : undefined,
    outdir: parsed.values.out ?? env.CDKTF_OUTDIR ?? "cdktf.out",
    help: parsed.values.help === true,
    quiet: parsed.values.quiet === true,
    bootstrap: parsed.values.bootstrap === true || bootstrapSwitch === "1" || bootstrapSwitch === "true",
  };
}

function reportBadInput(e: unknown): number {
  if (e instanceof ConfigError || e instanceof SloError || e instanceof ValidationError || e instanceof UsageError || e instanceof AlertRoutingError) {
    process.stderr.write(`synth stopped, nothing was written:\n${e.message}\n`);
    return 1;
  }
  throw e;
}

function isFileSystemError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === "string" && typeof (e as NodeJS.ErrnoException).syscall === "string";
}

function removeQuietly(dir: string): void {
  try {
    fs.rmSync(dir, { recursive: true, force: true });
  } catch {
    // nothing was created there, or it cannot be removed either: the error that led here is what matters
  }
}

/** Writes `<outdir>/bootstrap/<env>/state-bucket-policy.json`: the policy the README asks to put on the state bucket. */
function writeStateBucketPolicy(outdir: string, config: EnvironmentConfig): void {
  const dir = path.join(outdir, "bootstrap", config.name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "state-bucket-policy.json"), `${JSON.stringify(stateBucketPolicy(config), null, 2)}\n`);
}

/** Replaces `target` with `staging` in two renames, so readers see the old or the new output, never a mix. */
function swapInto(staging: string, target: string): void {
  const old = `${target}.old-${process.pid}`;
  if (fs.existsSync(target)) fs.renameSync(target, old);
  fs.renameSync(staging, target);
  fs.rmSync(old, { recursive: true, force: true });
}
