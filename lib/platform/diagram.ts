/**
 * The picture of one environment, as Graphviz DOT, drawn from what the synth wrote: every stack is a box (a
 * layer, in deploy order), every top-level construct in it a node (read from the construct paths Terraform's
 * JSON carries in `//.metadata.path`), with what it holds in a few lines — the VPC's CIDR and subnets, the
 * cluster's version and add-ons, each node group, the Helm charts with their versions, the namespaces and
 * custom resources — and an arrow for every dependency between stacks (transitively reduced: an arrow implied
 * by a longer path is left out, so the chain of layers stays readable).
 */

/** One synthesized stack: its name, its `cdk.tf.json`, and the stacks it depends on (cdktf's manifest). */
export interface SynthesizedStack {
  readonly name: string;
  readonly json: { readonly resource?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>> };
  readonly dependencies: readonly string[];
}

/** How a layer is drawn. */
interface LayerStyle {
  readonly fill: string;
  readonly border: string;
  readonly title: string;
}

const STYLES: Readonly<Record<string, LayerStyle>> = {
  network: { fill: "#eaf2fb", border: "#2e6da4", title: "network" },
  cluster: { fill: "#fdf1e7", border: "#c26a1b", title: "cluster" },
  storage: { fill: "#ecf6ec", border: "#3b8a3e", title: "storage" },
  platform: { fill: "#f2eefa", border: "#6a4fa3", title: "platform" },
  security: { fill: "#fcebeb", border: "#b23b3b", title: "security" },
  observability: { fill: "#fff7dc", border: "#a7800d", title: "observability" },
};
const DEFAULT_STYLE: LayerStyle = { fill: "#f3f5f7", border: "#5d6b7a", title: "" };

/** Constructs every stack has, which say nothing about the environment. */
const PLUMBING = new Set(["backend", "aws", "kubernetes", "helm", "ClusterAccess"]);
const NODE_ROLE_LABEL = "sre-platform.io/node-role";
const MAX_LINES = 6;
/** Characters per line before a list wraps. */
const WRAP = 42;
/** Components per row inside a layer. */
const ROW = 4;

interface Resource {
  readonly type: string;
  readonly name: string;
  readonly body: Readonly<Record<string, unknown>>;
}

/**
 * The environment as a DOT graph.
 * @param environment shown as the title
 * @param stacks every stack of the environment, in any order
 */
export function environmentDot(environment: string, stacks: readonly SynthesizedStack[]): string {
  const names = new Set(stacks.map((s) => s.name));
  const out: string[] = [
    `digraph ${q(environment)} {`,
    `  graph [label=<<b>${html(environment)}</b>  <font color="#5d6b7a">sre-platform · ${stacks.length} stacks, deployed top to bottom</font>>, labelloc=t, ` +
      `fontname="Helvetica", fontsize=18, rankdir=TB, compound=true, newrank=true, nodesep=0.25, ranksep=0.45, pad=0.3, bgcolor="white"];`,
    `  node [shape=box, style="rounded,filled", fillcolor="white", fontname="Helvetica", fontsize=11, margin="0.22,0.1", penwidth=1.2];`,
    `  edge [color="#8795a1", penwidth=1.4, arrowsize=0.8];`,
  ];
  const top = new Map<string, string>();
  const bottom = new Map<string, string>();
  for (const stack of stacks) {
    const layer = layerOf(environment, stack.name);
    const style = STYLES[layer.replace(/-resources$/, "")] ?? DEFAULT_STYLE;
    const resourcesLayer = layer.endsWith("-resources");
    const components: Component[] = componentsOf(stack);
    out.push(
      `  subgraph ${q(`cluster_${stack.name}`)} {`,
      `    graph [label=<<b>${html(stack.name)}</b>>, labeljust=l, fontsize=13, style="rounded,filled${resourcesLayer ? ",dashed" : ""}", ` +
        `color=${q(style.border)}, fillcolor=${q(style.fill)}, penwidth=1.4, margin=12];`,
    );
    if (components.length === 0) components.push({ id: `${stack.name}/empty`, label: "<i>nothing to deploy</i>" });
    // One rank per row of at most ROW components, rows tied top to bottom, so a layer is a compact block and the
    // layers stack in deploy order.
    const rows: Component[][] = [];
    for (let i = 0; i < components.length; i += ROW) rows.push(components.slice(i, i + ROW));
    for (const c of components) out.push(`    ${q(c.id)} [label=<${c.label}>, color=${q(style.border)}];`);
    for (const row of rows) out.push(`    { rank=same; ${row.map((c) => q(c.id)).join("; ")}; }`);
    for (let r = 1; r < rows.length; r++) out.push(`    ${q(rows[r - 1]![0]!.id)} -> ${q(rows[r]![0]!.id)} [style=invis];`);
    top.set(stack.name, rows[0]![0]!.id);
    bottom.set(stack.name, rows[rows.length - 1]![0]!.id);
    out.push("  }");
  }
  const deps = new Map(stacks.map((s) => [s.name, s.dependencies.filter((d) => names.has(d))]));
  for (const [stack, direct] of deps) {
    for (const dep of direct) {
      if (impliedByLongerPath(dep, stack, deps)) continue;
      out.push(`  ${q(bottom.get(dep)!)} -> ${q(top.get(stack)!)} [ltail=${q(`cluster_${dep}`)}, lhead=${q(`cluster_${stack}`)}];`);
    }
  }
  out.push("}");
  return `${out.join("\n")}\n`;
}

/** The stack's layer: its name without the environment prefix. */
function layerOf(environment: string, stack: string): string {
  return stack.startsWith(`${environment}-`) ? stack.slice(environment.length + 1) : stack;
}

/** True when `to` reaches `dep` through another of its dependencies (the direct arrow adds nothing). */
function impliedByLongerPath(dep: string, to: string, deps: ReadonlyMap<string, readonly string[]>): boolean {
  const others = (deps.get(to) ?? []).filter((d) => d !== dep);
  const seen = new Set<string>();
  const stack = [...others];
  while (stack.length > 0) {
    const s = stack.pop()!;
    if (s === dep) return true;
    if (seen.has(s)) continue;
    seen.add(s);
    stack.push(...(deps.get(s) ?? []));
  }
  return false;
}

interface Component {
  readonly id: string;
  readonly label: string;
}

/** The stack's top-level constructs that own resources, each with its lines; node groups get a node each. */
function componentsOf(stack: SynthesizedStack): Component[] {
  const byConstruct = new Map<string, Resource[]>();
  for (const [type, resources] of Object.entries(stack.json.resource ?? {})) {
    for (const [name, body] of Object.entries(resources)) {
      const meta = (body["//"] as { metadata?: { path?: string } } | undefined)?.metadata?.path;
      const top = meta?.split("/")[1] ?? name;
      if (PLUMBING.has(top)) continue;
      if (!byConstruct.has(top)) byConstruct.set(top, []);
      byConstruct.get(top)!.push({ type, name, body });
    }
  }
  const out: Component[] = [];
  for (const [construct, resources] of byConstruct) {
    out.push({ id: `${stack.name}/${construct}`, label: label(construct, describe(resources), resources.length) });
    for (const ng of resources.filter((r) => r.type === "aws_eks_node_group")) {
      out.push({ id: `${stack.name}/${construct}/${ng.name}`, label: label(`node group ${nodeRole(ng)}`, nodeGroupLines(ng), undefined) });
    }
  }
  return out;
}

function label(title: string, given: readonly string[], resourceCount: number | undefined): string {
  const lines = given.flatMap((l) => wrap(l, WRAP));
  const shown = lines.slice(0, MAX_LINES);
  if (lines.length > MAX_LINES) shown.push(`… ${lines.length - MAX_LINES} more`);
  const count = resourceCount === undefined ? "" : `<br/><font color="#8795a1" point-size="9">${resourceCount} resource${resourceCount === 1 ? "" : "s"}</font>`;
  return `<b>${html(spaced(title))}</b>${shown.map((l) => `<br/><font point-size="10" color="#33414e">${html(l)}</font>`).join("")}${count}`;
}

/** Splits a long line after commas, so no node is wider than about `width` characters. */
function wrap(line: string, width: number): string[] {
  const out: string[] = [];
  let current = "";
  for (const part of line.split(/(?<=, )/)) {
    if (current !== "" && current.length + part.length > width) {
      out.push(current.trimEnd());
      current = `  ${part}`;
    } else current += part;
  }
  if (current.trim() !== "") out.push(current.trimEnd());
  return out;
}

/** `KubePrometheusStack` → `Kube Prometheus Stack`; other names as they are. */
function spaced(name: string): string {
  return /^[A-Z][A-Za-z0-9]+$/.test(name) ? name.replace(/(?<=[a-z0-9])(?=[A-Z])/g, " ") : name;
}

/** What a construct holds, in the words of its most telling resources. */
function describe(resources: readonly Resource[]): string[] {
  const of = (type: string) => resources.filter((r) => r.type === type);
  const lines: string[] = [];
  for (const vpc of of("aws_vpc")) lines.push(`VPC ${String(vpc.body["cidr_block"] ?? "")}`.trim());
  const subnets = of("aws_subnet");
  if (subnets.length > 0) lines.push(`${subnets.length} subnets, ${of("aws_nat_gateway").length} NAT gateways`);
  // `com.amazonaws.<region>.ecr.api`, where the region may be a Terraform reference: the service is what follows it.
  const endpoints = of("aws_vpc_endpoint")
    .map((e) => String(e.body["service_name"] ?? "").replace(/\$\{[^}]*\}/g, "region").replace(/^com\.amazonaws\.[^.]+\./, ""))
    .filter((s) => s !== "");
  if (endpoints.length > 0) lines.push(`endpoints: ${endpoints.join(", ")}`);
  for (const eks of of("aws_eks_cluster")) lines.push(`EKS ${String(eks.body["version"] ?? "")}`.trim());
  const addons = of("aws_eks_addon").map((a) => String(a.body["addon_name"]));
  if (addons.length > 0) lines.push(`add-ons: ${addons.join(", ")}`);
  const buckets = of("aws_s3_bucket").map((b) => String(b.body["bucket"] ?? b.body["bucket_prefix"] ?? b.name).replace(/-$/, ""));
  if (buckets.length > 0) lines.push(`S3: ${buckets.join(", ")}`);
  if (of("aws_efs_file_system").length > 0) lines.push(`EFS, ${of("aws_efs_mount_target").length} mount targets`);
  for (const r of of("helm_release")) {
    lines.push(`${String(r.body["chart"])} ${String(r.body["version"] ?? "")} → ${String(r.body["namespace"] ?? "default")}`);
  }
  const namespaces = of("kubernetes_namespace_v1").map((n) => metadataName(n.body));
  if (namespaces.length > 0) lines.push(`namespaces: ${namespaces.join(", ")}`);
  const policies = of("kubernetes_network_policy_v1").length;
  if (policies > 0) lines.push(`${policies} network policies, ${of("kubernetes_resource_quota_v1").length} quotas`);
  const kinds = new Map<string, number>();
  for (const m of of("kubernetes_manifest")) {
    const kind = String(((m.body["manifest"] ?? {}) as Record<string, unknown>)["kind"] ?? "manifest");
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  if (kinds.size > 0) lines.push([...kinds].map(([k, n]) => (n === 1 ? k : `${k} ×${n}`)).join(", "));
  const storageClasses = of("kubernetes_storage_class_v1").map((s) => metadataName(s.body));
  if (storageClasses.length > 0) lines.push(`StorageClasses: ${storageClasses.join(", ")}`);
  const roles = of("aws_iam_role").length;
  if (roles > 0 && lines.length === 0) lines.push(`${roles} IAM roles`);
  return lines;
}

function metadataName(body: Readonly<Record<string, unknown>>): string {
  const meta = body["metadata"];
  const first = Array.isArray(meta) ? meta[0] : meta;
  return String((first as Record<string, unknown> | undefined)?.["name"] ?? "?");
}

function nodeRole(ng: Resource): string {
  const labels = (ng.body["labels"] ?? {}) as Record<string, string>;
  return labels[NODE_ROLE_LABEL] ?? String(ng.body["node_group_name"] ?? ng.body["node_group_name_prefix"] ?? ng.name);
}

function nodeGroupLines(ng: Resource): string[] {
  const scaling = (ng.body["scaling_config"] ?? {}) as Record<string, number>;
  const types = (ng.body["instance_types"] ?? []) as string[];
  const taints = ((ng.body["taint"] ?? []) as Record<string, string>[]).map((t) => `${t["key"]}:${t["effect"]}`);
  return [
    `${scaling["min_size"] ?? "?"}–${scaling["max_size"] ?? "?"} nodes${ng.body["capacity_type"] === "SPOT" ? ", spot" : ""}`,
    types.length > 2 ? `${types.slice(0, 2).join(", ")} +${types.length - 2}` : types.join(", "),
    ...(taints.length > 0 ? [`taint ${taints.join(", ")}`] : []),
  ].filter((l) => l !== "");
}

/** A DOT quoted ID. */
function q(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** Text for a DOT HTML-like label. */
function html(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
