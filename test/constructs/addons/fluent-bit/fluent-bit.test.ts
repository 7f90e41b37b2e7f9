import * as fs from "node:fs";
import * as path from "node:path";
import { Testing, TerraformStack, TerraformVariable, Token } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Release } from "@cdktf/provider-helm/lib/release";
import { parse } from "yaml";
import { FluentBit, FLUENT_BIT_DEFAULTS, validateFluentBitProps, type FluentBitProps } from "../../../../constructs/addons/fluent-bit/fluent-bit";
import { fluentBitAddon } from "../../../../constructs/addons/fluent-bit/addon";
import { FLUENT_BIT_IMAGE } from "../../../../constructs/addons/fluent-bit/fluent-bit-values";
import { missingContainerHardening } from "../../../../lib/kubernetes/security-context";
import { fakeCluster, policyStatements } from "../fake-cluster";
import { helmCoalesce } from "../support/helm-merge";

type Json = Record<string, any>;
const ROOT = path.resolve(__dirname, "../../../..");
const FIXTURE = path.join(ROOT, "test/fixtures/helm-values", `fluent-bit-${FLUENT_BIT_DEFAULTS.version}.values.yaml`);

function build(props: Partial<FluentBitProps> = {}) {
  const stack = new TerraformStack(Testing.app(), "test");
  const fluentBit = new FluentBit(stack, "FluentBit", { cluster: fakeCluster(), region: "eu-west-1", ...props });
  const json = Testing.synth(stack);
  const parsed = JSON.parse(json) as Json;
  const release = Object.values(parsed.resource.helm_release)[0] as { values: string[] };
  // What Helm receives: Terraform reads the release's `$${` as a literal `${` (HelmAddon escapes the values).
  return { fluentBit, json, parsed, values: parse(release.values[0]!.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{")) as Json };
}

/** `key value` entries of one classic-format section text, read back: `{ key: [values] }` per section. */
function sectionsOf(text: string): Array<Record<string, string[]>> {
  return text.split(/\n(?=\[)/).map((block) =>
    block.split("\n").slice(1).filter((l) => l.trim() !== "").reduce<Record<string, string[]>>((acc, l) => {
      const [, k, v] = /^\s+(\S+)\s+(.*)$/.exec(l)!;
      (acc[k!] ??= []).push(v!);
      return acc;
    }, {}),
  );
}

describe("FluentBit", () => {
  const { fluentBit, json, parsed, values } = build();

  test("pins fluent/helm-charts' fluent-bit chart into the logging namespace, with the Fluent project's image at the chart's appVersion", () => {
    expect(json).toHaveResourceWithProperties(Release, { name: "fluent-bit", chart: "fluent-bit", repository: "https://fluent.github.io/helm-charts", version: "0.58.1", namespace: "logging" });
    expect(values.image).toEqual({ repository: "cr.fluentbit.io/fluent/fluent-bit", tag: "5.1.1", pullPolicy: "IfNotPresent" });
    expect(fluentBitAddon.registries.some((r) => values.image.repository.startsWith(`${r}/`))).toBe(true);
    expect(parse(fs.readFileSync(FIXTURE, "utf8")).image.repository).toBe(FLUENT_BIT_IMAGE.repository);
  });

  test("creates the container and host log groups, encrypted with its own key, with their retention", () => {
    expect(json).toHaveResourceWithProperties(CloudwatchLogGroup, { name: "/aws/eks/test/containers", retention_in_days: 30, kms_key_id: "${aws_kms_key.FluentBit_Key_BB0C9FEE.arn}" });
    expect(json).toHaveResourceWithProperties(CloudwatchLogGroup, { name: "/aws/eks/test/host", retention_in_days: 30, kms_key_id: "${aws_kms_key.FluentBit_Key_BB0C9FEE.arn}" });
    const prod = build({ retentionDays: 90, hostRetentionDays: 365, preventDestroy: true }).parsed.resource.aws_cloudwatch_log_group as Json;
    expect(Object.values(prod).map((g: Json) => [g.name, g.retention_in_days, g.lifecycle])).toEqual([
      ["/aws/eks/test/containers", 90, { prevent_destroy: true }],
      ["/aws/eks/test/host", 365, { prevent_destroy: true }],
    ]);
  });

  test("the key lets CloudWatch Logs use it for exactly these two groups", () => {
    const logs = policyStatements(parsed).find((s) => s.sid === "CloudWatchLogsOfThisAccount")!;
    expect(logs.condition[0].values.map((v: string) => v.replace(/^.*:log-group:/, ""))).toEqual(["/aws/eks/test/containers", "/aws/eks/test/host"]);
    expect(fluentBit.key.cloudWatchLogGroupNames).toEqual(["/aws/eks/test/containers", "/aws/eks/test/host"]);
  });

  test("its IRSA role may create and write streams of these two groups only, and never create a group", () => {
    const writes = policyStatements(parsed).filter((s) => s.actions.some((a: string) => a.startsWith("logs:")));
    expect(writes).toHaveLength(1);
    expect([...writes[0]!.actions].sort()).toEqual(["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]);
    expect(writes[0]!.resources).toEqual([
      "${aws_cloudwatch_log_group.FluentBit_ContainersLogGroup_ACBAA825.arn}",
      "${aws_cloudwatch_log_group.FluentBit_ContainersLogGroup_ACBAA825.arn}:log-stream:*",
      "${aws_cloudwatch_log_group.FluentBit_HostLogGroup_312BF2DD.arn}",
      "${aws_cloudwatch_log_group.FluentBit_HostLogGroup_312BF2DD.arn}:log-stream:*",
    ]);
    expect(values.serviceAccount.name).toBe("fluent-bit");
    expect(values.serviceAccount.annotations["eks.amazonaws.com/role-arn"]).toMatch(/^\$\{aws_iam_role\.FluentBit_Helm_Irsa_Role_[0-9A-F]+\.arn\}$/);
  });

  test("the release waits for both log groups", () => {
    const release = Object.values(parsed.resource.helm_release)[0] as Json;
    expect(release.depends_on).toEqual(expect.arrayContaining(["aws_cloudwatch_log_group.FluentBit_ContainersLogGroup_ACBAA825", "aws_cloudwatch_log_group.FluentBit_HostLogGroup_312BF2DD"]));
  });

  test("the outputs ship to those groups in the region given, through environment variables, and never create one", () => {
    const outputs = sectionsOf(values.config.outputs);
    expect(outputs.map((o) => [o.Name, o.log_group_name, o.auto_create_group, o.region])).toEqual([
      [["cloudwatch_logs"], ["${LOG_GROUP_CONTAINERS}"], ["Off"], ["${LOG_GROUPS_REGION}"]],
      [["cloudwatch_logs"], ["${LOG_GROUP_HOST}"], ["Off"], ["${LOG_GROUPS_REGION}"]],
    ]);
    expect(values.env).toEqual([
      { name: "LOG_GROUP_CONTAINERS", value: "/aws/eks/test/containers" },
      { name: "LOG_GROUP_HOST", value: "/aws/eks/test/host" },
      { name: "LOG_GROUPS_REGION", value: "eu-west-1" },
    ]);
    expect(values.config.outputs).not.toMatch(/log_group_template|auto_create_group\s+On/);
    // Without a region, the AWS provider's, read by a data source.
    expect(build({ region: undefined }).values.env[2]).toEqual({ name: "LOG_GROUPS_REGION", value: expect.stringMatching(/^\$\{data\.aws_region\.FluentBit_Region_[0-9A-F]+\.region\}$/) });
  });

  test("the configuration text holds no Terraform reference: the cluster's name reaches it as a plain variable", () => {
    const stack = new TerraformStack(Testing.app(), "tokens");
    const clusterName = new TerraformVariable(stack, "clusterName", { type: "string" }).stringValue;
    const fb = new FluentBit(stack, "FluentBit", { cluster: { ...fakeCluster(), clusterName }, region: "eu-west-1" });
    const config = Object.values(fb.addon.values.config as Record<string, string>).join("\n");
    expect(Token.isUnresolved(fb.logGroupNames.containers)).toBe(true);
    expect(Token.isUnresolved(config)).toBe(false);
    expect((fb.addon.values.env as Json[]).filter((e) => Token.isUnresolved(e.value)).map((e) => e.name)).toEqual(["LOG_GROUP_CONTAINERS", "LOG_GROUP_HOST"]);
  });

  test("tails container logs through the docker and cri parsers, stack traces joined, Kubernetes metadata added, the journal of kubelet and containerd", () => {
    const inputs = sectionsOf(values.config.inputs);
    expect(inputs.map((i) => [i.Name?.[0], i.Path?.[0]])).toEqual([["tail", "/var/log/containers/*.log"], ["systemd", "/var/log/journal"]]);
    expect(inputs[0]!["multiline.parser"]).toEqual(["docker, cri"]);
    expect(inputs[1]!.Systemd_Filter).toEqual(["_SYSTEMD_UNIT=kubelet.service", "_SYSTEMD_UNIT=containerd.service"]);
    const filters = sectionsOf(values.config.filters);
    expect(filters.map((f) => f.Name?.[0])).toEqual(["multiline", "kubernetes"]);
    expect([filters[1]!.Merge_Log, filters[1]!.Keep_Log, filters[1]!["K8S-Logging.Exclude"]]).toEqual([["On"], ["Off"], ["On"]]);
    expect(values.config.customParsers).toBe("");
  });

  test("runs on every node whatever its taints, evicted last, sized, no CPU limit", () => {
    expect(values.kind).toBe("DaemonSet");
    expect(values.tolerations).toEqual([{ operator: "Exists" }]);
    expect(values.priorityClassName).toBe("system-node-critical");
    expect(values.resources).toEqual({ requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } });
    expect(values.testFramework).toEqual({ enabled: false });
  });

  test("its container is root with nothing else: every capability dropped, read-only root, no escalation, RuntimeDefault seccomp", () => {
    expect(values.securityContext).toMatchObject({ runAsUser: 0, runAsGroup: 0, runAsNonRoot: false, privileged: false });
    expect(missingContainerHardening(values.securityContext)).toEqual(["runAsNonRoot"]);
    expect(fluentBitAddon.workloads![0]!.containers[0]!.hardeningExceptions!.missing).toEqual(["runAsNonRoot"]);
  });

  test("over the chart's defaults, the pod mounts exactly the log directories read-only and its state directory, nothing of Docker's and no writable /var/log", () => {
    const merged = helmCoalesce(structuredClone(values), parse(fs.readFileSync(FIXTURE, "utf8"))) as Json;
    expect(merged.daemonSetVolumes.map((v: Json) => [v.hostPath.path, v.hostPath.type])).toEqual([
      ["/var/log/containers", "Directory"],
      ["/var/log/pods", "Directory"],
      ["/var/log/journal", "DirectoryOrCreate"],
      ["/var/fluent-bit/state", "DirectoryOrCreate"],
    ]);
    expect(merged.daemonSetVolumeMounts.map((m: Json) => [m.mountPath, m.readOnly])).toEqual([
      ["/var/log/containers", true],
      ["/var/log/pods", true],
      ["/var/log/journal", true],
      ["/var/fluent-bit/state", false],
    ]);
    // Every path the pipeline reads or writes is mounted.
    const mounted = merged.daemonSetVolumeMounts.map((m: Json) => m.mountPath as string);
    for (const p of [...values.config.inputs.matchAll(/(?:Path|DB)\s+(\S+)/g)].map((m) => m[1]!)) expect(mounted.some((dir: string) => p.startsWith(`${dir}/`) || p === dir)).toBe(true);
    // The chart's own defaults would have mounted all of /var/log writable and Docker's container directory.
    const chart = parse(fs.readFileSync(FIXTURE, "utf8"));
    expect(chart.daemonSetVolumeMounts.map((m: Json) => m.mountPath)).toEqual(["/var/log", "/var/lib/docker/containers", "/etc/machine-id"]);
  });

  test("every top-level value is one the chart knows", () => {
    const chart = parse(fs.readFileSync(FIXTURE, "utf8")) as Json;
    expect(Object.keys(values).filter((k) => !(k in chart))).toEqual([]);
    expect(Object.keys(values.config).filter((k) => !(k in chart.config))).toEqual([]);
  });
});

describe("FluentBit props", () => {
  test.each([
    ["a retention CloudWatch Logs refuses", { retentionDays: 10 }, "retentionDays", 10],
    ["a host retention CloudWatch Logs refuses", { hostRetentionDays: 0 }, "hostRetentionDays", 0],
    ["no host unit", { hostUnits: [] }, "hostUnits", []],
    ["a host unit that is not a systemd unit", { hostUnits: ["kubelet"] }, "hostUnits[0]", "kubelet"],
  ])("fails on %s", (_name, props, path, value) => {
    expect(validateFluentBitProps(props as Partial<FluentBitProps>).map((p) => [p.path, p.value])).toEqual([[path, value]]);
    expect(() => build(props as Partial<FluentBitProps>)).toThrow(new RegExp(`test/FluentBit: ${path.replace(/[[\]]/g, "\\$&")}: got`));
  });

  test("fails on a CPU limit, naming the field", () => {
    const problems = validateFluentBitProps({ resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi", cpu: "1" } as any } });
    expect(problems.map((p) => p.path)).toEqual(["resources.limits.cpu"]);
  });

  test("accepts the defaults and every retention CloudWatch Logs offers", () => {
    expect(validateFluentBitProps({})).toEqual([]);
    expect(validateFluentBitProps({ retentionDays: 1, hostRetentionDays: 3653 })).toEqual([]);
  });
});
