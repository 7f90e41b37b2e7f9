#!/usr/bin/env node
/**
 * `sre-platform slo compile|validate|report`: the SLO compiler on the command line.
 *
 * Exit codes: 0 success (warnings, if any, on stderr); 1 the input is invalid or cannot be read/written
 * (every problem on stderr, nothing written); 2 usage error (unknown command or flag, bad flag value, no files).
 * Bad input never prints a stack trace (set SRE_PLATFORM_DEBUG=1 to see one for an internal error).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, isAbsolute, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { EnvironmentConfig } from "../lib/config/environment-schema";
import { KUBE_PROMETHEUS_STACK_RELEASE, MONITORING_NAMESPACE, monitoringSelectorLabels } from "../lib/observability/monitoring-selection";
import { packageRoot } from "../lib/package-root";
import { emitPrometheusRuleYaml, emitRulesYaml } from "../lib/slo/emit";
import { closest } from "../lib/did-you-mean";
import { expandSloPaths, unknownEnvironmentProblem } from "../lib/slo/load";
import { formatDiagnostic, SloError, type SloDiagnostic, type SloPeriod } from "../lib/slo/model";
import { loadAndCompileSlos } from "../lib/slo/pipeline";
import { environmentServiceOverrides } from "../lib/slo/service-overrides";
import { sloSpecFiles } from "../lib/slo/spec-folder";
import { SUPPORTED_PERIODS } from "../lib/slo/windows";
import { renderReport } from "./slo-report";
import { renderHtmlReport } from "./slo-report-html";
import { DIAGRAM_HELP, DiagramUsageError, environmentDot, parseDiagramArgs, renderSvg, synthesizeForDiagram } from "./diagram";
import { sloOwnershipProblems } from "../lib/observability/slo-ownership";
import { COST_HELP, CostUsageError, parseCostArgs, renderCostText } from "./cost";
import { estimateCost } from "../lib/cost/sizing";
import { ConfigError } from "../lib/config/validate-environment";

export const EXIT_OK = 0;
export const EXIT_INVALID_INPUT = 1;
export const EXIT_USAGE = 2;

const FORMATS = ["rules", "prometheusrule"] as const;
type Format = (typeof FORMATS)[number];

/** Where output goes; tests pass their own. */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const processIo: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

class UsageError extends Error {}

/** ` (did you mean "compile"?)` when `word` is a near miss of one of `allowed`. */
function didYouMean(word: string, allowed: readonly string[]): string {
  const meant = closest(word, allowed);
  return meant !== undefined ? ` (did you mean "${meant}"?)` : "";
}

/** This package's version, from its package.json. */
function version(): string {
  return (JSON.parse(readFileSync(join(packageRoot(__dirname), "package.json"), "utf8")) as { version: string }).version;
}

let platformEnvironments: readonly EnvironmentConfig[] | null | undefined;
let platformSources: ReadonlyMap<string, string> = new Map();

/**
 * The platform's own environment names when the CLI runs from the sre-platform repository, else undefined.
 * The published package ships no environments (they hold the platform's accounts), so the list is read
 * lazily and only where it exists; elsewhere `--environment` takes any name the specs may override.
 */
function envNames(): readonly string[] | undefined {
  return platformEnvironmentConfigs()?.map((e) => e.name);
}

/** The platform's own environments (as written) when the CLI runs from the sre-platform repository, else undefined. */
function platformEnvironmentConfigs(): readonly EnvironmentConfig[] | undefined {
  if (platformEnvironments === undefined) {
    const entry = join(__dirname, "..", "environments");
    // Only the kind of file this CLI runs as can be required: compiled .js, or .ts under ts-node.
    const found = existsSync(join(entry, `index${extname(__filename)}`))
      ? (require(entry) as { ENVIRONMENTS: readonly EnvironmentConfig[]; environmentSources?: () => ReadonlyMap<string, string> })
      : undefined;
    platformEnvironments = found?.ENVIRONMENTS ?? null;
    platformSources = found?.environmentSources?.() ?? new Map();
  }
  return platformEnvironments ?? undefined;
}

const MAIN_HELP = `Usage: sre-platform <command> [options]
       sre-platform --version

Commands:
  slo compile <files…>   compile SLO specs into Prometheus rules (YAML on stdout or --out FILE)
  slo validate <files…>  check SLO specs; print every problem
  slo report [files…]    per SLO: budget, alert windows, burn-rate thresholds, outage detection times
                         (--html --out DIR: the same as a page with charts)
  diagram <env>          draw an environment's stacks, components and dependencies (--out FILE.svg)
  cost <env>             an environment's sizing, estimated monthly cost and budget, from its configuration
                         (--format json)

Inputs: sre-platform/v1, Sloth prometheus/v1 (and sloth.slok.dev/v1), OpenSLO openslo/v1; a directory
stands for its *.yaml files.
Exit codes: 0 ok (warnings on stderr), 1 invalid input (errors on stderr, nothing written), 2 usage error.
Run "sre-platform slo <command> --help" for a command's options.
`;

const COMMON_OPTIONS = `  --period 30d|28d|7d      period for every SLO (default: each spec's own, else 30d)
  --environment ENV        apply the specs' per-environment overrides${envNames() ? ` (${envNames()!.join(", ")}), and check
                           each spec's labels.team against the environment's teams` : ""}
  --strict                 unknown keys in Sloth and OpenSLO files are errors (default: warnings, as Sloth
                           and OpenSLO ignore them; the sre-platform/v1 format always refuses them), and so is
                           an SLI selector without a namespace matcher (default: a warning)
  -h, --help               show this help`;

const HELP: Record<string, string> = {
  compile: `Usage: sre-platform slo compile <files…> [options]

Compiles SLO specs into recording and alerting rules. Everything is validated first; on any error nothing
is written (--out is replaced atomically, only on success). A line on stderr says what was written.

Options:
  --format rules|prometheusrule  a plain rules file (groups:) or a prometheus-operator PrometheusRule (default: rules)
  --out FILE               write to FILE instead of stdout
  --name NAME              PrometheusRule metadata.name (default: slo-rules)
  --namespace NS           PrometheusRule metadata.namespace (default: ${MONITORING_NAMESPACE}, the platform's Prometheus)
  --release NAME           PrometheusRule label release=NAME, which the Prometheus' ruleSelector matches
                           (default: ${KUBE_PROMETHEUS_STACK_RELEASE}, the platform's)
  --runbook-base-url URL   runbook_url for alerts without one: <URL>/<service>/<slo>-<page|ticket>.md
${COMMON_OPTIONS}
`,
  validate: `Usage: sre-platform slo validate <files…> [options]

Parses, validates and compiles the specs without writing anything; prints every problem (file: SLO: field:
message) and warnings such as alerts that can never fire. Without --environment it validates the specs as
written and with the overrides of every environment (the platform's, or else every one a spec overrides).

Options:
${COMMON_OPTIONS}
`,
  report: `Usage: sre-platform slo report [files…] [options]

Prints per SLO the objective, period, error budget in minutes and, for every page and ticket window pair,
the burn-rate factor, the error-ratio threshold and how long a total outage takes to fire it
((1 − objective) × factor × long window). Without files, inside the sre-platform repository: its own
environments/slos/*.yaml; anywhere else the files are required.

Options:
  --html                   write the report as a static page, DIR/index.html (charts included, no script)
  --out DIR                the folder for --html (required with it); DIR/index.html is replaced atomically
${COMMON_OPTIONS}
`,
};


interface Parsed {
  readonly files: string[];
  readonly period?: SloPeriod;
  readonly environment?: string;
  readonly format: Format;
  readonly out?: string;
  readonly name: string;
  readonly namespace: string;
  readonly release: string;
  readonly runbookBaseUrl?: string;
  readonly strict: boolean;
  readonly help: boolean;
  readonly html: boolean;
}

const OPTIONS = {
  period: { type: "string" },
  environment: { type: "string" },
  strict: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  format: { type: "string" },
  out: { type: "string" },
  name: { type: "string" },
  namespace: { type: "string" },
  release: { type: "string" },
  "runbook-base-url": { type: "string" },
  html: { type: "boolean" },
} as const;
const COMMAND_OPTIONS: Record<string, readonly (keyof typeof OPTIONS)[]> = {
  compile: ["period", "environment", "strict", "help", "format", "out", "name", "namespace", "release", "runbook-base-url"],
  validate: ["period", "environment", "strict", "help"],
  report: ["period", "environment", "strict", "help", "html", "out"],
};

function parseCommandArgs(command: string, args: readonly string[]): Parsed {
  const allowed = COMMAND_OPTIONS[command]!;
  const options = Object.fromEntries(allowed.map((k) => [k, OPTIONS[k]]));
  const flags = allowed.map((k) => `--${k}`).join(", ");
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: [...args], options, allowPositionals: true, strict: true }) as {
      values: Record<string, string | boolean | undefined>;
      positionals: string[];
    });
  } catch (e) {
    const code = (e as { code?: string }).code;
    const flag = /'([^']+)'/.exec((e as Error).message)?.[1] ?? "";
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      throw new UsageError(`unknown option ${flag}${didYouMean(flag, allowed.map((k) => `--${k}`))}; allowed: ${flags}`);
    }
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      throw new UsageError(/does not take/.test((e as Error).message) ? `option ${flag} takes no value` : `option ${flag.replace(/ <value>$/, "")} needs a value`);
    }
    throw new UsageError((e as Error).message);
  }
  const str = (k: string): string | undefined => values[k] as string | undefined;
  const period = str("period");
  if (period !== undefined && !(SUPPORTED_PERIODS as readonly string[]).includes(period)) {
    throw new UsageError(`invalid --period ${JSON.stringify(period)}; allowed: ${SUPPORTED_PERIODS.join(", ")}`);
  }
  const format = str("format") ?? "rules";
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`invalid --format ${JSON.stringify(format)}; allowed: ${FORMATS.join(", ")}`);
  }
  const environment = str("environment");
  const known = envNames();
  if (environment === "") throw new UsageError("option --environment needs a non-empty value");
  if (environment !== undefined && known !== undefined) {
    const problem = unknownEnvironmentProblem({ environment, knownEnvironments: known }, []);
    if (problem !== undefined) throw new UsageError(`--environment: ${problem}`);
  }
  for (const k of ["out", "name", "namespace", "release", "runbook-base-url"]) {
    if (str(k) === "") throw new UsageError(`option --${k} needs a non-empty value`);
  }
  return {
    files: positionals,
    ...(period !== undefined ? { period: period as SloPeriod } : {}),
    ...(environment !== undefined ? { environment } : {}),
    format: format as Format,
    ...(str("out") !== undefined ? { out: str("out") } : {}),
    name: str("name") ?? "slo-rules",
    namespace: str("namespace") ?? MONITORING_NAMESPACE,
    release: str("release") ?? KUBE_PROMETHEUS_STACK_RELEASE,
    ...(str("runbook-base-url") !== undefined ? { runbookBaseUrl: str("runbook-base-url") } : {}),
    strict: values["strict"] === true,
    help: values["help"] === true,
    html: values["html"] === true,
  };
}

/**
 * Loads and compiles for `environment` (default: `--environment`); warnings go to stderr, with fields named
 * as the user wrote them, each once per run.
 */
function loadAndCompile(files: readonly string[], p: Parsed, io: Io, environment = p.environment, shown = new Set<string>()) {
  // Inside the repository, with an environment: its own overrides of the specs' services, as the synth applies them.
  const env = environment !== undefined ? platformEnvironmentConfigs()?.find((e) => e.name === environment) : undefined;
  // Every override is held against the specs only when they are all of the environment's; given a few files, an
  // override of a service they do not define is skipped (one close to theirs is still a typo, and refused).
  const declared = env !== undefined ? environmentServiceOverrides(env.slo, platformSources.get(env.name) ?? `environment "${env.name}"`) : undefined;
  const given = new Set(expandSloPaths(files).map((f) => resolve(f)));
  const serviceOverrides = declared === undefined ? undefined : { ...declared, partial: !sloSpecFiles(packageRoot(__dirname), env!.slo?.specs).every((f) => given.has(resolve(f))) };
  const loaded = loadAndCompileSlos(files, {
    ...(environment !== undefined ? { environment } : {}),
    ...(serviceOverrides !== undefined ? { serviceOverrides } : {}),
    ...(envNames() !== undefined ? { knownEnvironments: envNames() } : {}),
    strict: p.strict,
    ...(p.period !== undefined ? { period: p.period } : {}),
    ...(p.runbookBaseUrl !== undefined ? { runbookBaseUrl: p.runbookBaseUrl } : {}),
  });
  // Inside the repository, with an environment: the specs' teams are held against that environment's, as the synth does.
  if (env !== undefined) {
    const ownership = sloOwnershipProblems(loaded.definitions, env.security.namespaces.teams.map((t) => t.name), `security.namespaces.teams of environment "${env.name}"`);
    if (ownership.length > 0) throw new SloError(ownership);
  }
  for (const w of loaded.warnings) {
    const line = `warning: ${formatDiagnostic(w)}\n`;
    if (!shown.has(line)) io.err(line);
    shown.add(line);
  }
  return loaded;
}

/**
 * `slo validate` without `--environment`: the specs as written, then with each environment's overrides (the
 * platform's environments in this repository, else every one a spec overrides), so a prod override
 * `objective: 0.999` is caught. Every environment's problems are reported, each naming its environment.
 */
function validateEverywhere(files: readonly string[], p: Parsed, io: Io): string {
  const shown = new Set<string>();
  const base = loadAndCompile(files, p, io, undefined, shown);
  const environments = envNames() ?? base.overriddenEnvironments;
  const problems: SloDiagnostic[] = [];
  for (const env of environments) {
    try {
      loadAndCompile(files, p, io, env, shown);
    } catch (e) {
      if (!(e instanceof SloError)) throw e;
      problems.push(...e.diagnostics.map((d) => ({ ...d, message: `in environment ${env}: ${d.message}` })));
    }
  }
  if (problems.length > 0) throw new SloError(problems);
  const n = base.result.slos.length;
  const where = environments.length > 0 ? `as written and in ${environments.join(", ")}` : "as written (no spec overrides an environment)";
  return `ok: ${n} SLO${n === 1 ? "" : "s"} valid ${where}\n`;
}

/** Writes FILE only once everything succeeded: a temp file beside it, then an atomic rename. */
function writeAtomically(file: string, text: string): void {
  const target = resolve(file);
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  try {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(tmp, text);
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new SloError([{ file, field: "--out", stage: "emit", message: `cannot write output: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }]);
  }
}

/**
 * The platform's own specs, found from the package root (not the current directory) and shown relative
 * when inside it. The published package ships none: there, and anywhere else, the user must name files.
 */
function defaultSpecFiles(command: string): string[] {
  // The same rule as the synth's: every spec of the folder.
  const files = sloSpecFiles(packageRoot(__dirname));
  if (files.length === 0) {
    throw new UsageError(
      `no SLO files given; usage: sre-platform slo ${command} <files or directories…> ` +
        `(sre-platform/v1, Sloth prometheus/v1 or OpenSLO openslo/v1 YAML; see --help)`,
    );
  }
  return files.map((file) => {
    const rel = relative(process.cwd(), file);
    return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : file;
  });
}

function runSlo(command: string | undefined, args: readonly string[], io: Io): number {
  if (command === undefined) {
    io.err(MAIN_HELP);
    return EXIT_USAGE;
  }
  if (command === "--help" || command === "-h" || command === "help") {
    io.out(MAIN_HELP);
    return EXIT_OK;
  }
  if (!(command in COMMAND_OPTIONS)) {
    const commands = Object.keys(COMMAND_OPTIONS);
    throw new UsageError(`unknown command "slo ${command}"${didYouMean(command, commands)}; allowed: ${commands.join(", ")}`);
  }
  const p = parseCommandArgs(command, args);
  if (p.help) {
    io.out(HELP[command]!);
    return EXIT_OK;
  }
  if (p.files.length === 0 && command !== "report") {
    throw new UsageError(`no SLO files given; usage: sre-platform slo ${command} <files…> (see --help)`);
  }
  if (command === "report" && p.html !== (p.out !== undefined)) {
    throw new UsageError(p.html ? "option --html needs --out DIR, the folder to write index.html to" : "option --out needs --html (the text report goes to stdout)");
  }
  const files = p.files.length > 0 ? p.files : defaultSpecFiles(command);
  if (command === "validate") {
    if (p.environment === undefined) {
      io.out(validateEverywhere(files, p, io));
    } else {
      const n = loadAndCompile(files, p, io).result.slos.length;
      io.out(`ok: ${n} SLO${n === 1 ? "" : "s"} valid in ${p.environment}\n`);
    }
    return EXIT_OK;
  }
  const { result } = loadAndCompile(files, p, io);
  const slos = `${result.slos.length} SLO${result.slos.length === 1 ? "" : "s"}${p.environment !== undefined ? ` (${p.environment})` : ""}`;
  if (command === "report" && p.html) {
    const index = join(p.out!, "index.html");
    writeAtomically(index, renderHtmlReport(result, p.environment !== undefined ? { environment: p.environment } : {}));
    io.out(`wrote ${index}: ${slos}\n`);
  } else if (command === "report") {
    io.out(renderReport(result, p.environment));
    io.err(`reported ${slos}\n`);
  } else {
    const yaml = p.format === "rules"
      ? emitRulesYaml(result)
      : emitPrometheusRuleYaml(result, { name: p.name, namespace: p.namespace, labels: monitoringSelectorLabels(p.release) });
    if (p.out !== undefined) writeAtomically(p.out, yaml);
    else io.out(yaml);
    const rules = [...result.slos.flatMap((s) => s.groups), ...result.services].reduce((n, g) => n + g.rules.length, 0);
    const as = p.format === "rules" ? "a rules file" : `PrometheusRule ${p.namespace}/${p.name} (release=${p.release})`;
    io.err(`compiled ${slos} into ${rules} rules, ${as}, ${p.out !== undefined ? `written to ${p.out}` : "on stdout"}\n`);
  }
  return EXIT_OK;
}

/** Runs the CLI; returns the exit code. Never throws for bad input or arguments. */
export function main(argv: readonly string[], io: Io = processIo): number {
  try {
    const [group, command, ...rest] = argv;
    if (group === undefined) {
      io.err(MAIN_HELP);
      return EXIT_USAGE;
    }
    if (group === "--help" || group === "-h" || group === "help") {
      io.out(MAIN_HELP);
      return EXIT_OK;
    }
    if (group === "--version" || group === "-V" || group === "version") {
      io.out(`sre-platform ${version()}\n`);
      return EXIT_OK;
    }
    if (group === "diagram") throw new UsageError("diagram runs asynchronously: call run(), not main()");
    if (group === "cost") return runCost(argv.slice(1), io);
    if (group !== "slo") throw new UsageError(`unknown command "${group}"${didYouMean(group, ["slo", "diagram", "cost"])}; allowed: slo, diagram, cost, --version, --help`);
    return runSlo(command, rest, io);
  } catch (e) {
    if (e instanceof UsageError || e instanceof CostUsageError) {
      io.err(`sre-platform: ${e.message}\n`);
      return EXIT_USAGE;
    }
    if (e instanceof ConfigError) {
      io.err(`${e.message}\n`);
      io.err(`${e.message.split("\n").length} problem${e.message.split("\n").length === 1 ? "" : "s"} found in the configuration\n`);
      return EXIT_INVALID_INPUT;
    }
    if (e instanceof SloError) {
      for (const d of e.diagnostics) {
        io.err(`error: ${formatDiagnostic(d)}\n`);
        if (d.excerpt !== undefined) io.err(`${d.excerpt.replace(/^/gm, "    ")}\n`);
      }
      io.err(`${e.diagnostics.length} problem${e.diagnostics.length === 1 ? "" : "s"} found; nothing written\n`);
      return EXIT_INVALID_INPUT;
    }
    io.err(`sre-platform: internal error: ${(e as Error).message ?? String(e)}\n`);
    if (process.env["SRE_PLATFORM_DEBUG"]) io.err(`${(e as Error).stack ?? ""}\n`);
    return EXIT_INVALID_INPUT;
  }
}

/**
 * Runs any command, the asynchronous `diagram` included; returns the exit code. Never throws for bad input or
 * arguments. `main` runs the `slo` commands synchronously, for callers that want a plain number.
 */
export async function run(argv: readonly string[], io: Io = processIo): Promise<number> {
  if (argv[0] !== "diagram") return main(argv, io);
  try {
    return await runDiagram(argv.slice(1), io);
  } catch (e) {
    if (e instanceof DiagramUsageError) {
      io.err(`sre-platform: ${e.message}\n`);
      return EXIT_USAGE;
    }
    if (e instanceof SloError) {
      for (const d of e.diagnostics) io.err(`error: ${formatDiagnostic(d)}\n`);
      return EXIT_INVALID_INPUT;
    }
    io.err(`sre-platform: internal error: ${(e as Error).message ?? String(e)}\n`);
    if (process.env["SRE_PLATFORM_DEBUG"]) io.err(`${(e as Error).stack ?? ""}\n`);
    return EXIT_INVALID_INPUT;
  }
}

/** `cost <env>`: the platform's own environments, validated as the synth validates them, then the estimate. */
function runCost(args: readonly string[], io: Io): number {
  const entry = join(__dirname, "..", "environments");
  if (!existsSync(join(entry, `index${extname(__filename)}`))) {
    throw new CostUsageError("cost reads the platform's own environments: run it inside the sre-platform repository");
  }
  const envs = require(entry) as { ENVIRONMENTS: readonly EnvironmentConfig[]; loadEnvironments: (names?: readonly string[]) => EnvironmentConfig[] };
  const parsed = parseCostArgs(args, envs.ENVIRONMENTS.map((e) => e.name));
  if (parsed === undefined) {
    io.out(COST_HELP);
    return EXIT_OK;
  }
  const [config] = envs.loadEnvironments([parsed.environment]);
  const estimate = estimateCost(config!);
  io.out(parsed.format === "json" ? `${JSON.stringify(estimate, null, 2)}\n` : renderCostText(estimate));
  for (const w of estimate.warnings) io.err(`warning: ${w}\n`);
  return EXIT_OK;
}

async function runDiagram(args: readonly string[], io: Io): Promise<number> {
  const entry = join(__dirname, "..", "environments");
  if (!existsSync(join(entry, `index${extname(__filename)}`))) {
    throw new DiagramUsageError("diagram draws the platform's own environments: run it inside the sre-platform repository");
  }
  const envs = require(entry) as Parameters<typeof synthesizeForDiagram>[1];
  const parsed = parseDiagramArgs(args, envs.ENVIRONMENTS.map((e) => e.name));
  if (parsed === undefined) {
    io.out(DIAGRAM_HELP);
    return EXIT_OK;
  }
  const stacks = synthesizeForDiagram(parsed.environment, envs);
  if (stacks === undefined) return EXIT_INVALID_INPUT;
  const dot = environmentDot(parsed.environment, stacks);
  writeAtomically(parsed.out, parsed.format === "dot" ? dot : await renderSvg(dot));
  io.out(`wrote ${parsed.out}: ${stacks.length} stacks of ${parsed.environment}\n`);
  return EXIT_OK;
}

if (require.main === module) {
  void run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
