import { entryValue, entryValues, fluentBitConfigProblems, type FluentBitSection } from "../../../../lib/observability/logs/fluent-bit-config";
import { platformLogGroups } from "../../../../lib/observability/logs/log-groups";
import { DEFAULT_HOST_UNITS, FLUENT_BIT_HOST_PATHS, logPipeline, logPipelineProblems, type LogPipeline } from "../../../../lib/observability/logs/log-pipeline";

const groups = platformLogGroups("prod-eu");
const pipeline = logPipeline({ region: "eu-west-1", logGroups: groups });
const named = (sections: readonly FluentBitSection[], name: string) => sections.find((s) => entryValue(s, "Name") === name)!;

describe("the log pipeline", () => {
  test("names the cluster's two log groups beside EKS's own", () => {
    expect(groups).toEqual({ containers: "/aws/eks/prod-eu/containers", host: "/aws/eks/prod-eu/host" });
  });

  test("is clean: every filter and output matches an input, every input is shipped, no group is created", () => {
    expect(logPipelineProblems(pipeline, [groups.containers, groups.host])).toEqual([]);
    expect(fluentBitConfigProblems("pipeline", [pipeline.service, ...pipeline.inputs, ...pipeline.filters, ...pipeline.outputs])).toEqual([]);
  });

  test("tails the containers' logs through the docker and cri multiline parsers, positions and buffer on the node", () => {
    const tail = named(pipeline.inputs, "tail");
    expect(entryValue(tail, "Path")).toBe("/var/log/containers/*.log");
    expect(entryValue(tail, "multiline.parser")).toBe("docker, cri");
    expect(entryValue(tail, "Tag")).toBe("kube.*");
    expect(String(entryValue(tail, "DB"))).toMatch(new RegExp(`^${FLUENT_BIT_HOST_PATHS.state}/`));
    expect(entryValue(tail, "storage.type")).toBe("filesystem");
    expect(String(entryValue(pipeline.service, "storage.path"))).toMatch(new RegExp(`^${FLUENT_BIT_HOST_PATHS.state}/`));
  });

  test("reads the kubelet's and containerd's journal for the host group", () => {
    const systemd = named(pipeline.inputs, "systemd");
    expect(entryValue(systemd, "Path")).toBe(FLUENT_BIT_HOST_PATHS.journal);
    expect(entryValues(systemd, "Systemd_Filter")).toEqual(DEFAULT_HOST_UNITS.map((u) => `_SYSTEMD_UNIT=${u}`));
    expect(entryValue(systemd, "Tag")).toBe("host.*");
    const units = logPipeline({ region: "eu-west-1", logGroups: groups, hostUnits: ["kubelet.service"] });
    expect(entryValues(named(units.inputs, "systemd"), "Systemd_Filter")).toEqual(["_SYSTEMD_UNIT=kubelet.service"]);
  });

  test("joins Go, Java and Python stack traces before adding the Kubernetes metadata", () => {
    expect(pipeline.filters.map((f) => entryValue(f, "Name"))).toEqual(["multiline", "kubernetes"]);
    const multiline = named(pipeline.filters, "multiline");
    expect([entryValue(multiline, "multiline.key_content"), entryValue(multiline, "multiline.parser")]).toEqual(["log", "go, java, python"]);
  });

  test("merges JSON lines, drops the raw line, takes labels not annotations, honours a pod's exclude annotation", () => {
    const k8s = named(pipeline.filters, "kubernetes");
    expect(Object.fromEntries(["Merge_Log", "Keep_Log", "Labels", "Annotations", "K8S-Logging.Exclude"].map((k) => [k, entryValue(k8s, k)]))).toEqual({
      Merge_Log: true, Keep_Log: false, Labels: true, Annotations: false, "K8S-Logging.Exclude": true,
    });
    // The prefix the tail input's tag has before the file name: what the filter strips to find pod, namespace, container.
    expect(entryValue(k8s, "Kube_Tag_Prefix")).toBe("kube.var.log.containers.");
  });

  test("ships to the two groups, one stream per namespace, pod and container, or per node and unit, never creating a group", () => {
    expect(pipeline.outputs.map((o) => [entryValue(o, "Name"), entryValue(o, "Match"), entryValue(o, "log_group_name"), entryValue(o, "log_stream_template"), entryValue(o, "auto_create_group"), entryValue(o, "region")])).toEqual([
      ["cloudwatch_logs", "kube.*", groups.containers, "$kubernetes['namespace_name'].$kubernetes['pod_name'].$kubernetes['container_name']", false, "eu-west-1"],
      ["cloudwatch_logs", "host.*", groups.host, "$HOSTNAME.$SYSTEMD_UNIT", false, "eu-west-1"],
    ]);
  });
});

describe("pipeline problems", () => {
  const withOutput = (i: number, entries: FluentBitSection["entries"]): LogPipeline => ({
    ...pipeline,
    outputs: pipeline.outputs.map((o, j) => (j === i ? { ...o, entries } : o)),
  });
  const replace = (o: FluentBitSection, key: string, value: string | boolean) => o.entries.map(([k, v]): [string, string | number | boolean] => [k, k === key ? value : v]);
  const names = [groups.containers, groups.host];
  const problems = (p: LogPipeline) => logPipelineProblems(p, names).map((x) => [x.path, x.value]);

  test("fails when an output may create its group", () => {
    expect(problems(withOutput(0, replace(pipeline.outputs[0]!, "auto_create_group", "On")))).toEqual([["outputs[0].auto_create_group", "On"]]);
    expect(problems(withOutput(1, [...pipeline.outputs[1]!.entries, ["log_group_template", "$kubernetes['namespace_name']"]]))).toEqual([["outputs[1].log_group_template", "$kubernetes['namespace_name']"]]);
  });

  test("fails when an output writes to a group Terraform does not create", () => {
    expect(problems(withOutput(0, replace(pipeline.outputs[0]!, "log_group_name", "/aws/eks/other/containers")))).toEqual([["outputs[0].log_group_name", "/aws/eks/other/containers"]]);
  });

  test("fails when an output matches no input, leaving an input unshipped", () => {
    expect(problems(withOutput(1, replace(pipeline.outputs[1]!, "Match", "node.*")))).toEqual([["outputs[1].Match", "node.*"], ["inputs[1].Tag", "host.*"]]);
  });
});
