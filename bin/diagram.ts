/**
 * `sre-platform diagram <env> --out FILE.svg`: the environment drawn from its construct tree (layers as boxes,
 * network, cluster, node groups, add-ons with chart versions, custom resources, and the dependencies between
 * stacks), rendered locally by Graphviz compiled to WebAssembly. The environment is synthesized first, into a
 * temporary folder, with every check the synth makes; bad configuration stops it with the synth's messages.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { EnvironmentConfig } from "../lib/config/environment-schema";
import { environmentDot, type SynthesizedStack } from "../lib/platform/diagram";

export const DIAGRAM_HELP = `Usage: sre-platform diagram <environment> --out FILE [--format svg|dot]

Draws one environment from its construct tree: its stacks in deploy order, what each holds (VPC and
subnets, the cluster and its node groups, add-ons with their chart versions, namespaces, custom resources)
and the dependencies between stacks. Runs inside the sre-platform repository (it synthesizes the
environment from environments/, offline).

Options:
  --out FILE           where to write the drawing (replaced atomically)
  --format svg|dot     an SVG picture (default), or the Graphviz source
  -h, --help           show this help
`;

const FORMATS = ["svg", "dot"] as const;

/** A problem with the command line: exit 2 with this message. */
export class DiagramUsageError extends Error {}

export interface DiagramArgs {
  readonly environment: string;
  readonly out: string;
  readonly format: (typeof FORMATS)[number];
}

/** The platform's environments module, when this runs from the repository. */
interface EnvironmentsModule {
  readonly ENVIRONMENTS: readonly EnvironmentConfig[];
  readonly loadEnvironments: (names?: readonly string[]) => EnvironmentConfig[];
}

/** Parses `diagram` arguments; `undefined` means help was asked for. */
export function parseDiagramArgs(args: readonly string[], known: readonly string[]): DiagramArgs | undefined {
  let values: { out?: string; format?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...args],
      options: { out: { type: "string" }, format: { type: "string" }, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    }));
  } catch (e) {
    const flag = /'([^']+)'/.exec((e as Error).message)?.[1] ?? "";
    throw new DiagramUsageError((e as { code?: string }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" ? `unknown option ${flag}; allowed: --out, --format, --help` : (e as Error).message);
  }
  if (values.help) return undefined;
  if (positionals.length !== 1) {
    throw new DiagramUsageError(`diagram takes one environment, got ${positionals.length === 0 ? "none" : positionals.join(" ")}; allowed: ${known.join(", ")}`);
  }
  const environment = positionals[0]!;
  if (!known.includes(environment)) throw new DiagramUsageError(`unknown environment ${JSON.stringify(environment)}; allowed: ${known.join(", ")}`);
  if (values.out === undefined || values.out === "") throw new DiagramUsageError("diagram needs --out FILE (e.g. --out dev.svg)");
  const format = values.format ?? (values.out.endsWith(".dot") ? "dot" : "svg");
  if (!(FORMATS as readonly string[]).includes(format)) throw new DiagramUsageError(`invalid --format ${JSON.stringify(format)}; allowed: ${FORMATS.join(", ")}`);
  return { environment, out: values.out, format: format as DiagramArgs["format"] };
}

/**
 * Synthesizes the environment into a temporary folder and returns its stacks with their dependencies.
 * @returns undefined when the synth refused the configuration (it printed why)
 */
export function synthesizeForDiagram(environment: string, envs: EnvironmentsModule): SynthesizedStack[] | undefined {
  // Loaded here, not at the top: the slo commands must not pay for cdktf and the providers.
  const { runSynth } = require("../stacks/synth") as typeof import("../stacks/synth");
  const dir = mkdtempSync(join(tmpdir(), "sre-platform-diagram-"));
  try {
    const out = join(dir, "out");
    const code = runSynth(["--env", environment, "--out", out, "--quiet"], {}, { load: envs.loadEnvironments, names: envs.ENVIRONMENTS.map((e) => e.name) });
    if (code !== 0) return undefined;
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { stacks: Record<string, { dependencies?: string[] }> };
    return readdirSync(join(out, "stacks"))
      .sort()
      .map((name) => ({
        name,
        json: JSON.parse(readFileSync(join(out, "stacks", name, "cdk.tf.json"), "utf8")),
        dependencies: manifest.stacks[name]?.dependencies ?? [],
      }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Loads an ES module from this CommonJS code with Node's own `import()` (TypeScript would turn a written
 * `import()` into `require()`, which cannot load the ES-module-only Graphviz package without a warning).
 */
const importEsm = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<unknown>;

/** DOT → SVG with Graphviz (WebAssembly, in process). */
export async function renderSvg(dot: string): Promise<string> {
  const { Graphviz } = (await importEsm("@hpcc-js/wasm-graphviz")) as typeof import("@hpcc-js/wasm-graphviz");
  const graphviz = await Graphviz.load();
  return graphviz.dot(dot, "svg");
}

export { environmentDot, type SynthesizedStack };
