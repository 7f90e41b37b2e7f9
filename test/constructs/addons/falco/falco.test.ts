import { Testing, TerraformStack } from "cdktf";
import { parse } from "yaml";
import { Falco, FALCO_DEFAULTS, FalcoProps } from "../../../../constructs/addons/falco/falco";
import { fakeCluster, unknownTopLevelKeys } from "../fake-cluster";
import { FALCO_CHART_KEYS, FALCOSIDEKICK_CHART_KEYS } from "./falco-chart-keys";

function build(props: Partial<FalcoProps> = {}) {
  const stack = new TerraformStack(Testing.app(), "security");
  const falco = new Falco(stack, "Falco", { cluster: fakeCluster(), ...props });
  const tf = JSON.parse(Testing.synth(stack));
  const release = Object.values(tf.resource.helm_release)[0] as { chart: string; version: string; repository: string; namespace: string; values: string[] };
  return { falco, tf, release, values: parse(release.values[0]!) };
}

describe("Falco", () => {
  const { release, values, tf, falco } = build();

  test("pins falcosecurity's chart 9.1.0 into the falco namespace, with only keys the chart has", () => {
    expect(release).toMatchObject({ chart: "falco", version: "9.1.0", repository: "https://falcosecurity.github.io/charts", namespace: "falco" });
    expect(FALCO_DEFAULTS.version).toBe("9.1.0");
    expect(unknownTopLevelKeys(values, FALCO_CHART_KEYS)).toEqual([]);
    // `enabled` is the parent chart's condition on the sub-chart (falcosidekick.enabled), not a sub-chart value.
    expect(unknownTopLevelKeys(values.falcosidekick, [...FALCOSIDEKICK_CHART_KEYS, "enabled"])).toEqual([]);
  });

  test("modern eBPF in the chart's least-privileged mode, no driver loader, on every node whatever its taints", () => {
    expect(values.driver).toEqual({ enabled: true, kind: "modern_ebpf", modernEbpf: { leastPrivileged: true }, loader: { enabled: false } });
    // An empty containerSecurityContext is what lets the chart apply capabilities instead of privileged.
    expect(values.containerSecurityContext).toBeUndefined();
    expect(values.tolerations).toEqual([{ operator: "Exists" }]);
    expect(values.nodeSelector).toBeUndefined();
    expect(values.podPriorityClassName).toBe("system-node-critical");
  });

  test("mounts only the CRI socket, and pins the default rules without following them", () => {
    const engines = values.collectors.containerEngine.engines;
    expect(Object.entries(engines).filter(([, e]) => (e as { enabled: boolean }).enabled).map(([n]) => n)).toEqual(["cri"]);
    expect(engines.cri.sockets).toEqual(["/run/containerd/containerd.sock"]);
    expect(values.falcoctl.artifact.follow.enabled).toBe(false);
    expect(values.falcoctl.config.artifact.install.refs).toEqual(["falco-rules:5.1.0"]);
    expect(values.falcoctl.artifact.install.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
  });

  test("every syscall event names its pod's namespace, the label Alertmanager routes a team's detections by", () => {
    // The chart's default (the plugins' suggested fields) stays first; the namespace field is added for every rule.
    expect(values.falco.append_output).toEqual([{ suggested_output: true }, { match: { source: "syscall" }, extra_fields: ["k8s.ns.name"] }]);
  });

  test("delivers the generated rules file through customRules, and it parses as the construct's rules", () => {
    expect(Object.keys(values.customRules)).toEqual(["sre-platform-rules.yaml"]);
    expect(parse(values.customRules["sre-platform-rules.yaml"])).toEqual(falco.rules);
  });

  test("falcosidekick: hardened, no web UI, posting to the platform's Alertmanager v2 API with the tier as severity", () => {
    const s = values.falcosidekick;
    expect(s.enabled).toBe(true);
    expect(s.webui).toEqual({ enabled: false });
    expect(s.podSecurityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    expect(s.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ["ALL"] } });
    expect(s.config.alertmanager).toMatchObject({
      hostport: "http://kube-prometheus-stack-alertmanager.monitoring:9093",
      endpoint: "/api/v2/alerts",
      minimumpriority: "warning",
      checkcert: true,
    });
    expect(s.config.alertmanager.customseveritymap).toContain("critical:P0");
    // Dropped syscalls never page at night (falcosidekick's default would raise them to critical).
    expect([s.config.alertmanager.dropeventdefaultpriority, s.config.alertmanager.dropeventthresholds]).toEqual(["error", "1000:error, 1:warning"]);
    expect(s.replicaCount).toBe(2);
  });

  test("two or more falcosidekick replicas get a disruption budget selecting them", () => {
    const [pdb] = Object.values(tf.resource.kubernetes_pod_disruption_budget_v1) as Array<Record<string, any>>;
    expect(pdb!.spec).toEqual({ min_available: "1", selector: { match_labels: { "app.kubernetes.io/name": "falcosidekick", "app.kubernetes.io/instance": "falco" } } });
    expect(build({ alertForwarding: { replicas: 1 } }).tf.resource.kubernetes_pod_disruption_budget_v1).toBeUndefined();
  });

  test("forwarding off installs no falcosidekick and changes nothing else", () => {
    const off = build({ alertForwarding: { enabled: false } }).values;
    expect(off.falcosidekick).toEqual({ enabled: false });
    const { falcosidekick: _a, ...restOff } = off;
    const { falcosidekick: _b, ...restOn } = values;
    expect(restOff).toEqual(restOn);
  });

  const rules: Array<[string, Partial<FalcoProps>, RegExp]> = [
    ["a sensitive file is not an absolute path", { rules: { sensitiveFiles: ["shadow"], outbound: {} } }, /^security\/Falco: rules\.sensitiveFiles\[0\]: got "shadow"/],
    ["an outbound destination is not a CIDR", { rules: { sensitiveFiles: ["/etc/shadow"], outbound: { p: [{ cidr: "10.0.0.300/8" }] } } }, /rules\.outbound\.p\[0\]\.cidr/],
    ["an additional rule misspells a macro", { additionalRules: [{ rule: "X", desc: "x", condition: "spawnd_process", output: "x", priority: "NOTICE" }] }, /security\/Falco: rules file items\[\d+\]\.condition: got "spawnd_process"; allowed: a macro defined earlier/],
    ["an additional rule has a priority Falco does not know", { additionalRules: [{ rule: "X", desc: "x", condition: "container", output: "x", priority: "HIGH" }] }, /rules file items\[\d+\]\.priority: got "HIGH"/],
    ["the Alertmanager URL has a path", { alertForwarding: { alertmanagerUrl: "http://am:9093/api/v2/alerts" } }, /alertForwarding\.alertmanagerUrl/],
    ["the minimum priority is not Falco's", { alertForwarding: { minimumPriority: "HIGH" as never } }, /alertForwarding\.minimumPriority: got "HIGH"/],
    ["falcosidekick replicas are zero", { alertForwarding: { replicas: 0 } }, /alertForwarding\.replicas: got 0/],
    ["Falco's memory limit is missing", { resources: { requests: { cpu: "100m", memory: "512Mi" } } }, /resources\.limits\.memory: got nothing/],
    ["a request is above its limit", { resources: { requests: { cpu: "100m", memory: "2Gi" }, limits: { memory: "1Gi" } } }, /resources\.requests\.memory: got "2Gi"; allowed: at most limits\.memory/],
  ];
  test.each(rules)("fails when %s", (_name, props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});
