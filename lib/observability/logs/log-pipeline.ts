/**
 * The platform's log pipeline as Fluent Bit sections: container logs tailed from the node (containerd's CRI format on
 * EKS AL2023, Docker's JSON where a node still writes it), joined back into one record when a Go, Java or Python stack
 * trace spans lines, enriched with the pod's Kubernetes metadata, and shipped to the environment's container log
 * group, one stream per namespace, pod and container; the kubelet's and containerd's journal to the host log group,
 * one stream per node and unit. Both groups are created (encrypted, with retention) by Terraform: the outputs never
 * create a group. Framework-free: the fluent-bit add-on renders these into its chart values.
 */
import type { ValidationProblem } from "../../problems";
import { entryValue, entryValues, matchesTag, type FluentBitSection } from "./fluent-bit-config";
import type { PlatformLogGroups } from "./log-groups";

/**
 * The node paths Fluent Bit reads (read-only) and the one it writes. `/var/log/containers` holds the kubelet's
 * symlinks to the files under `/var/log/pods` (both mounted at the same paths, or the links dangle), and
 * `/var/log/journal` systemd's persistent journal. `state` keeps the tail positions and the filesystem buffer on the
 * node, so a restarted pod resumes where it stopped instead of losing or re-sending lines.
 */
export const FLUENT_BIT_HOST_PATHS = {
  containers: "/var/log/containers",
  pods: "/var/log/pods",
  journal: "/var/log/journal",
  state: "/var/fluent-bit/state",
} as const;

/** The namespace of the platform's log shipper. */
export const LOGGING_NAMESPACE = "logging";

/** Fluent Bit's HTTP server: health checks and Prometheus metrics (`/api/v1/metrics/prometheus`). */
export const FLUENT_BIT_METRICS_PORT = 2020;

/** The systemd units whose journal goes to the host log group when the caller names none. */
export const DEFAULT_HOST_UNITS: readonly string[] = ["kubelet.service", "containerd.service"];

/** The outputs' aliases: the `name` label of Fluent Bit's output metrics (`fluentbit_output_*{name="containers"}`). */
export const LOG_OUTPUTS = { containers: "containers", host: "host" } as const;

/** Tags of the two inputs: `kube.<path of the file>` and `host.<unit>`. */
const TAGS = { containers: "kube.*", host: "host.*" } as const;

/** Inputs of {@link logPipeline}. */
export interface LogPipelineSettings {
  /** The AWS region of the log groups. */
  readonly region: string;
  readonly logGroups: PlatformLogGroups;
  /** @default {@link DEFAULT_HOST_UNITS} */
  readonly hostUnits?: readonly string[];
  /** How many times an output retries a chunk before dropping it. @default 10 */
  readonly retryLimit?: number;
}

/** The pipeline by the chart's config keys. */
export interface LogPipeline {
  readonly service: FluentBitSection;
  readonly inputs: readonly FluentBitSection[];
  readonly filters: readonly FluentBitSection[];
  readonly outputs: readonly FluentBitSection[];
}

/** The platform's pipeline. */
export function logPipeline(s: LogPipelineSettings): LogPipeline {
  const state = FLUENT_BIT_HOST_PATHS.state;
  const service: FluentBitSection = {
    kind: "SERVICE",
    entries: [
      ["Daemon", false],
      ["Flush", 5],
      ["Log_Level", "info"],
      ["Parsers_File", "/fluent-bit/etc/parsers.conf"],
      ["HTTP_Server", true],
      ["HTTP_Listen", "0.0.0.0"],
      ["HTTP_Port", FLUENT_BIT_METRICS_PORT],
      ["Health_Check", true],
      // Chunks wait on the node's disk, not in memory, while CloudWatch Logs is slow or unreachable.
      ["storage.path", `${state}/buffer/`],
      ["storage.sync", "normal"],
      ["storage.backlog.mem_limit", "5M"],
      ["storage.metrics", true],
    ],
  };
  const inputs: FluentBitSection[] = [
    {
      kind: "INPUT",
      entries: [
        ["Name", "tail"],
        ["Alias", "containers-tail"],
        ["Tag", TAGS.containers],
        ["Path", `${FLUENT_BIT_HOST_PATHS.containers}/*.log`],
        // containerd writes the CRI format (`<time> <stream> <P|F> <log>`): `cri` joins the partial lines of one long
        // write; `docker` reads a node that still writes Docker's JSON.
        ["multiline.parser", "docker, cri"],
        ["DB", `${state}/tail-containers.db`],
        ["DB.locking", true],
        ["Mem_Buf_Limit", "50MB"],
        ["storage.type", "filesystem"],
        ["Skip_Long_Lines", true],
        ["Refresh_Interval", 10],
        ["Rotate_Wait", 30],
        // A new file is read from its start; a known one from the position in DB.
        ["Read_from_Head", true],
      ],
    },
    {
      kind: "INPUT",
      entries: [
        ["Name", "systemd"],
        ["Alias", "host-journal"],
        ["Tag", TAGS.host],
        ["Path", FLUENT_BIT_HOST_PATHS.journal],
        ...(s.hostUnits ?? DEFAULT_HOST_UNITS).map((u): [string, string] => ["Systemd_Filter", `_SYSTEMD_UNIT=${u}`]),
        ["Systemd_Filter_Type", "Or"],
        ["DB", `${state}/systemd-host.db`],
        ["Read_From_Tail", true],
        ["Strip_Underscores", true],
        ["storage.type", "filesystem"],
      ],
    },
  ];
  const filters: FluentBitSection[] = [
    {
      // Stack traces: lines an application wrote as one event (a Go panic, a Java exception, a Python traceback) become
      // one record, before the metadata is added once to it.
      kind: "FILTER",
      entries: [
        ["Name", "multiline"],
        ["Alias", "stack-traces"],
        ["Match", TAGS.containers],
        ["multiline.key_content", "log"],
        ["multiline.parser", "go, java, python"],
        ["emitter_mem_buf_limit", "10M"],
      ],
    },
    {
      kind: "FILTER",
      entries: [
        ["Name", "kubernetes"],
        ["Alias", "metadata"],
        ["Match", TAGS.containers],
        ["Kube_URL", "https://kubernetes.default.svc:443"],
        ["Kube_Tag_Prefix", `kube${FLUENT_BIT_HOST_PATHS.containers.replace(/\//g, ".")}.`],
        // A JSON log line's fields become the record's, under `log_processed`; the raw line is dropped.
        ["Merge_Log", true],
        ["Merge_Log_Key", "log_processed"],
        ["Keep_Log", false],
        // Labels say which app and team a record is; annotations carry tool configuration (and sometimes more) and stay out.
        ["Labels", true],
        ["Annotations", false],
        // A pod opts out of shipping with the annotation `fluentbit.io/exclude: "true"`, or names a parser with
        // `fluentbit.io/parser`.
        ["K8S-Logging.Exclude", true],
        ["K8S-Logging.Parser", true],
        ["Buffer_Size", "256k"],
      ],
    },
  ];
  const cloudwatch = (alias: string, match: string, group: string, template: string): FluentBitSection => ({
    kind: "OUTPUT",
    entries: [
      ["Name", "cloudwatch_logs"],
      ["Alias", alias],
      ["Match", match],
      ["region", s.region],
      ["log_group_name", group],
      ["log_stream_template", template],
      // Where the template cannot be filled (no metadata), the stream is this prefix and the record's tag.
      ["log_stream_prefix", `${alias}-`],
      // Terraform creates the groups, encrypted and with retention: a group Fluent Bit made would be neither.
      ["auto_create_group", false],
      ["Retry_Limit", s.retryLimit ?? 10],
      ["storage.total_limit_size", "1G"],
      ["workers", 1],
    ],
  });
  const outputs = [
    cloudwatch(LOG_OUTPUTS.containers, TAGS.containers, s.logGroups.containers, "$kubernetes['namespace_name'].$kubernetes['pod_name'].$kubernetes['container_name']"),
    cloudwatch(LOG_OUTPUTS.host, TAGS.host, s.logGroups.host, "$HOSTNAME.$SYSTEMD_UNIT"),
  ];
  return { service, inputs, filters, outputs };
}

/** A tag an input's records carry: its `Tag` with the wildcard filled in. */
function sampleTag(input: FluentBitSection): string {
  return String(entryValue(input, "Tag") ?? "").replace(/\*/g, "sample");
}

/**
 * What would lose logs or make a log group the platform does not manage: a filter or output matching no input, an
 * input no output ships, a CloudWatch output that may create groups (`auto_create_group` on, or a
 * `log_group_template`) or writes to a group not in `groups`.
 */
export function logPipelineProblems(p: LogPipeline, groups: readonly string[]): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const tags = p.inputs.map(sampleTag);
  const matchOf = (s: FluentBitSection) => String(entryValue(s, "Match") ?? "");
  [...p.filters.map((f, i) => ["filters", i, f] as const), ...p.outputs.map((o, i) => ["outputs", i, o] as const)].forEach(([where, i, s]) => {
    if (!tags.some((t) => matchesTag(matchOf(s), t))) problems.push({ path: `${where}[${i}].Match`, value: matchOf(s), allowed: `a pattern matching an input's tag (${p.inputs.map((x) => entryValue(x, "Tag")).join(", ")})` });
  });
  p.inputs.forEach((input, i) => {
    if (!p.outputs.some((o) => matchesTag(matchOf(o), sampleTag(input)))) problems.push({ path: `inputs[${i}].Tag`, value: entryValue(input, "Tag"), allowed: "a tag some output matches (its records would be dropped)" });
  });
  p.outputs.forEach((o, i) => {
    if (String(entryValue(o, "Name")) !== "cloudwatch_logs") return;
    const auto = entryValue(o, "auto_create_group");
    if (auto !== false && String(auto).toLowerCase() !== "false" && String(auto).toLowerCase() !== "off") {
      problems.push({ path: `outputs[${i}].auto_create_group`, value: auto, allowed: "false: the log groups are Terraform's (encrypted, with retention)" });
    }
    if (entryValues(o, "log_group_template").length > 0) problems.push({ path: `outputs[${i}].log_group_template`, value: entryValue(o, "log_group_template"), allowed: "nothing: records go to the groups Terraform created" });
    const group = String(entryValue(o, "log_group_name"));
    if (!groups.includes(group)) problems.push({ path: `outputs[${i}].log_group_name`, value: group, allowed: `one of the groups Terraform creates: ${groups.join(", ")}` });
  });
  return problems;
}
