/**
 * What a synth built, for the person who ran it: per environment the SLOs compiled, alerts and runbooks
 * generated and warnings; per stack its resources by type and what changed against the previous output
 * (Terraform addresses added and removed); the Helm releases with their chart versions; and the time taken.
 * Read from the written `cdk.tf.json` files, so it shows what Terraform will see.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** One stack as written: its resource addresses by type, and its Helm releases. */
export interface StackInventory {
  readonly stack: string;
  /** `<type>.<name>` of every resource (data sources are not counted). */
  readonly addresses: ReadonlySet<string>;
  readonly byType: ReadonlyMap<string, number>;
  readonly helmReleases: readonly { readonly name: string; readonly chart: string; readonly version: string }[];
}

/** Per environment, what the SLO compiler and the generators produced. */
export interface EnvironmentOutputs {
  readonly environment: string;
  readonly slos: number;
  readonly alerts: number;
  readonly runbooks: number;
  readonly dashboards: number;
  readonly warnings: readonly string[];
}

/**
 * Reads every `stacks/<name>/cdk.tf.json` under an output folder.
 * @returns the stacks by name; empty when the folder (a first synth) or its stacks do not exist
 */
export function readInventory(outdir: string): Map<string, StackInventory> {
  const stacksDir = path.join(outdir, "stacks");
  const out = new Map<string, StackInventory>();
  let names: string[];
  try {
    names = fs.readdirSync(stacksDir);
  } catch {
    return out;
  }
  for (const stack of names.sort()) {
    let doc: { resource?: Record<string, Record<string, Record<string, unknown>>> };
    try {
      doc = JSON.parse(fs.readFileSync(path.join(stacksDir, stack, "cdk.tf.json"), "utf8"));
    } catch {
      continue; // not a stack folder, or a stack left half-written by an interrupted run: nothing to compare
    }
    const addresses = new Set<string>();
    const byType = new Map<string, number>();
    const helmReleases: { name: string; chart: string; version: string }[] = [];
    for (const [type, resources] of Object.entries(doc.resource ?? {})) {
      byType.set(type, Object.keys(resources).length);
      for (const [name, body] of Object.entries(resources)) {
        addresses.add(`${type}.${name}`);
        if (type === "helm_release") {
          helmReleases.push({ name: String(body.name ?? name), chart: String(body.chart ?? "?"), version: String(body.version ?? "unpinned") });
        }
      }
    }
    out.set(stack, { stack, addresses, byType, helmReleases });
  }
  return out;
}

/** Addresses added and removed in one stack between two synths. */
export interface StackChange {
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

export function compareStacks(previous: StackInventory | undefined, current: StackInventory): StackChange {
  const before = previous?.addresses ?? new Set<string>();
  return {
    added: [...current.addresses].filter((a) => !before.has(a)).sort(),
    removed: [...before].filter((a) => !current.addresses.has(a)).sort(),
  };
}

export interface SummaryInput {
  /** The output folder as the user named it. */
  readonly shownOutdir: string;
  readonly previous: ReadonlyMap<string, StackInventory>;
  readonly current: ReadonlyMap<string, StackInventory>;
  readonly environments: readonly EnvironmentOutputs[];
  readonly elapsedMs: number;
  /** Addresses listed per stack and direction before the rest is counted. @default 8 */
  readonly listLimit?: number;
  /** Resource types named per stack before the rest is counted. @default 3 */
  readonly typeLimit?: number;
}

/** The summary as text; the first line is the one-line result. */
export function renderSummary(input: SummaryInput): string {
  const listLimit = input.listLimit ?? 8;
  const typeLimit = input.typeLimit ?? 3;
  const stacks = [...input.current.values()];
  const firstRun = input.previous.size === 0;
  const total = stacks.reduce((n, s) => n + s.addresses.size, 0);
  const lines: string[] = [
    `synthesized ${stacks.length} stacks (${total} resources) into ${input.shownOutdir} in ${(input.elapsedMs / 1000).toFixed(1)} s` +
      (firstRun ? "; no previous output to compare with" : "; changes against the previous output"),
  ];
  for (const env of input.environments) {
    const own = stacks.filter((s) => s.stack.startsWith(`${env.environment}-`));
    lines.push(
      "",
      `${env.environment}: ${plural(env.slos, "SLO")} compiled, ${plural(env.alerts, "alert")}, ${plural(env.runbooks, "runbook")}, ` +
        `${plural(env.dashboards, "dashboard")}, ${plural(env.warnings.length, "warning")}`,
    );
    const width = Math.max(...own.map((s) => s.stack.length));
    for (const s of own) {
      const change = compareStacks(input.previous.get(s.stack), s);
      const changed = firstRun ? "" : !input.previous.has(s.stack) ? "new" : change.added.length + change.removed.length === 0 ? "unchanged" : `+${change.added.length} -${change.removed.length}`;
      const types = [...s.byType.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      const shownTypes = types.slice(0, typeLimit).map(([t, n]) => `${t} ${n}`);
      if (types.length > typeLimit) shownTypes.push(`${types.length - typeLimit} more types`);
      lines.push(`  ${s.stack.padEnd(width)}  ${String(s.addresses.size).padStart(4)}  ${changed.padEnd(9)}  ${shownTypes.join(", ")}`);
      if (!firstRun && input.previous.has(s.stack)) {
        lines.push(...listed("+", change.added, listLimit), ...listed("-", change.removed, listLimit));
      }
    }
    const releases = own.flatMap((s) => s.helmReleases.map((r) => (r.name === r.chart ? `${r.chart}@${r.version}` : `${r.name} (${r.chart}@${r.version})`)));
    if (releases.length > 0) lines.push(`  helm: ${releases.join(", ")}`);
    for (const w of env.warnings) lines.push(`  warning: ${w}`);
  }
  const removedStacks = [...input.previous.keys()].filter((k) => !input.current.has(k) && input.environments.some((e) => k.startsWith(`${e.environment}-`)));
  if (removedStacks.length > 0) lines.push("", `stacks no longer synthesized: ${removedStacks.join(", ")}`);
  return `${lines.join("\n")}\n`;
}

function listed(sign: "+" | "-", addresses: readonly string[], limit: number): string[] {
  const shown = addresses.slice(0, limit).map((a) => `      ${sign} ${a}`);
  if (addresses.length > limit) shown.push(`      ${sign} … and ${addresses.length - limit} more`);
  return shown;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
