import { Testing, TerraformStack } from "cdktf";
import { Litmus } from "../../../../constructs/addons/litmus/litmus";
import { ChaosExperiments, CHAOS_NAMESPACE, type ChaosTarget, type ChaosExperimentsProps } from "../../../../constructs/addons/litmus/chaos-experiments";
import { ChaosSchedule, KUBECTL_IMAGE, type ChaosScheduleProps } from "../../../../constructs/addons/litmus/chaos-schedule";
import { EXPERIMENT_DEFINITIONS, GO_RUNNER_IMAGE, type PolicyRule } from "../../../../lib/chaos/experiments";
import { steadyStateProbes } from "../../../../lib/slo/steady-state";
import { compileHistorySlos } from "../../../support/slo-history";
import { fakeCluster } from "../fake-cluster";

const probes = steadyStateProbes(compileHistorySlos([{ service: "checkout-api", requestsPerSecond: 1, errorShare: 0 }]).slos, "checkout-api", {
  prometheusUrl: "http://kube-prometheus-stack-prometheus.monitoring.svc:9090",
});
const target = (over: Partial<ChaosTarget> = {}): ChaosTarget => ({
  name: "checkout-api-pods",
  namespace: "payments",
  app: { kind: "deployment", label: "app.kubernetes.io/name=checkout-api" },
  experiments: { "pod-delete": {} },
  probes,
  ...over,
});

type Res = Record<string, Record<string, any>>;
function build(props: Partial<ChaosExperimentsProps> = {}, schedule?: Omit<ChaosScheduleProps, "systemNodePlacement">) {
  const app = Testing.app();
  const platform = new TerraformStack(app, "platform");
  const litmus = new Litmus(platform, "Litmus", { cluster: fakeCluster() });
  const stack = new TerraformStack(app, "resources");
  const chaos = new ChaosExperiments(stack, "ChaosExperiments", { litmus, targets: [target()], ...props });
  if (schedule) new ChaosSchedule(stack, "ChaosSchedule", { systemNodePlacement: { nodeLabels: { "sre-platform.io/node-role": "system" }, tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" }] }, ...schedule });
  const resource = JSON.parse(Testing.synth(stack)).resource as Res;
  const manifests = Object.values(resource.kubernetes_manifest ?? {}).map((m) => m.manifest);
  return { chaos, resource, manifests, of: (kind: string) => manifests.filter((m) => m.kind === kind), all: (type: string) => Object.values(resource[type] ?? {}) };
}
const grants = (rules: readonly PolicyRule[]) => new Set(rules.flatMap((r) => r.apiGroups.flatMap((g) => r.resources.flatMap((res) => r.verbs.map((v) => `${g}/${res}:${v}`)))));
const roleGrants = (role: { rule: Array<{ api_groups: string[]; resources: string[]; verbs: string[] }> }) =>
  grants(role.rule.map((r) => ({ apiGroups: r.api_groups, resources: r.resources, verbs: r.verbs })));

describe("ChaosExperiments", () => {
  test("one pinned ChaosExperiment per experiment in use, in the chaos namespace, with upstream's permissions and a hardened experiment pod", () => {
    const { of } = build({ targets: [target({ experiments: { "pod-delete": {}, "pod-cpu-hog": {} } })] });
    const experiments = of("ChaosExperiment");
    expect(experiments.map((e) => e.metadata.name).sort()).toEqual(["pod-cpu-hog", "pod-delete"]);
    for (const e of experiments) {
      expect(e.metadata.namespace).toBe(CHAOS_NAMESPACE);
      expect(e.spec.definition).toMatchObject({ image: GO_RUNNER_IMAGE, imagePullPolicy: "IfNotPresent", args: ["-c", `./experiments -name ${e.metadata.name}`] });
      expect(e.spec.definition.permissions).toEqual(EXPERIMENT_DEFINITIONS[e.metadata.name as "pod-delete"].permissions);
      expect(e.spec.definition.securityContext.containerSecurityContext).toMatchObject({ allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ["ALL"] } });
      expect(e.spec.definition.securityContext.podSecurityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 2000 });
    }
  });

  test("the chaos ServiceAccount's Roles grant exactly the union of its experiments' declared permissions, in the target's and the chaos namespace", () => {
    const { of, all } = build({ targets: [target({ experiments: { "pod-delete": {} } }), target({ name: "checkout-api-cpu", experiments: { "pod-cpu-hog": {} } })] });
    const declared = grants(of("ChaosExperiment").flatMap((e) => e.spec.definition.permissions));
    const roles = all("kubernetes_role_v1");
    expect(roles.map((r) => `${r.metadata.namespace}/${r.metadata.name}`).sort()).toEqual([`${CHAOS_NAMESPACE}/chaos-payments`, "payments/chaos-payments"]);
    for (const role of roles) expect(roleGrants(role)).toEqual(declared);
    const bindings = all("kubernetes_role_binding_v1");
    expect(bindings.map((b) => b.subject)).toEqual([[{ kind: "ServiceAccount", name: "chaos-payments", namespace: CHAOS_NAMESPACE }], [{ kind: "ServiceAccount", name: "chaos-payments", namespace: CHAOS_NAMESPACE }]]);
    expect(all("kubernetes_cluster_role_v1")).toEqual([]);
  });

  test("one ServiceAccount per target namespace, each Role only what that namespace's experiments need", () => {
    const { all } = build({ targets: [target({ experiments: { "pod-delete": {} } }), target({ name: "ledger", namespace: "ledger", experiments: { "node-drain": {} } })], allowNodeDrain: true });
    expect(all("kubernetes_service_account_v1").map((s) => s.metadata.name).sort()).toEqual(["chaos-ledger", "chaos-payments"]);
    const role = (ns: string) => all("kubernetes_role_v1").find((r) => r.metadata.namespace === ns)!;
    expect(roleGrants(role("payments")).has("/pods/eviction:create")).toBe(false);
    expect(roleGrants(role("ledger")).has("/pods/eviction:create")).toBe(true);
  });

  test("node-drain's node rights are a ClusterRole bound only to the namespaces that run it", () => {
    const { all } = build({ targets: [target(), target({ name: "checkout-api-node", experiments: { "node-drain": {} } }), target({ name: "other", namespace: "other" })], allowNodeDrain: true });
    const [clusterRole] = all("kubernetes_cluster_role_v1");
    expect(roleGrants(clusterRole!)).toEqual(grants(EXPERIMENT_DEFINITIONS["node-drain"].permissions));
    expect(all("kubernetes_cluster_role_binding_v1").map((b) => b.subject[0].name)).toEqual(["chaos-payments"]);
    expect(all("kubernetes_role_v1").every((r) => !roleGrants(r).has("/nodes:patch"))).toBe(true);
  });

  test("fails when a target runs node-drain where it is not allowed, naming the target", () => {
    expect(() => build({ targets: [target({ experiments: { "node-drain": {} } })] })).toThrow(/targets\[0\]\.experiments\.node-drain.*nodeDrain\.optIn/);
  });

  test.each([
    [{ targets: [target(), target()] }, /targets\[1\]\.name/],
    [{ targets: [target({ namespace: CHAOS_NAMESPACE })] }, /targets\[0\]\.namespace/],
    [{ targets: [target({ experiments: {} })] }, /targets\[0\]\.experiments/],
  ])("fails on a bad target (%#)", (props, message) => {
    expect(() => build(props as Partial<ChaosExperimentsProps>)).toThrow(message);
  });

  test("each engine is created stopped in the chaos namespace, targets the workload's namespace, and carries the SLO probes on every experiment", () => {
    const { of, resource } = build({ targets: [target({ experiments: { "pod-delete": { durationSeconds: 90 }, "pod-network-latency": { latencyMs: 500 } } })] });
    const [engine] = of("ChaosEngine");
    expect(engine.metadata).toMatchObject({ name: "checkout-api-pods", namespace: CHAOS_NAMESPACE });
    expect(engine.spec).toMatchObject({
      engineState: "stop",
      chaosServiceAccount: "chaos-payments",
      appinfo: { appns: "payments", applabel: "app.kubernetes.io/name=checkout-api", appkind: "deployment" },
      components: { runner: { image: "docker.io/litmuschaos/chaos-runner:3.29.0" } },
    });
    expect(engine.spec.experiments.map((e: any) => e.name)).toEqual(["pod-delete", "pod-network-latency"]);
    for (const e of engine.spec.experiments) expect(e.spec.probe).toEqual(probes);
    expect(engine.spec.experiments[0].spec.components.env).toContainEqual({ name: "TOTAL_CHAOS_DURATION", value: "90" });
    expect(engine.spec.experiments[1].spec.components.env).toContainEqual({ name: "NETWORK_LATENCY", value: "500" });
    const manifest = Object.values(resource.kubernetes_manifest!).find((m) => m.manifest.kind === "ChaosEngine")!;
    expect(manifest.computed_fields).toEqual(["metadata.labels", "metadata.annotations", "spec.engineState"]);
  });

  test("fails at synth when an engine breaks the ChaosEngine CRD schema (a probe mode Litmus does not know), naming the field", () => {
    const bad = { ...probes[0]!, mode: "Sometimes" } as unknown as (typeof probes)[number];
    expect(() => build({ targets: [target({ probes: [bad] })] })).toThrow(/ChaosEngine-checkout-api-pods: manifest\.spec\.experiments\[0\]\.spec\.probe\[0\]\.mode: got "Sometimes"/);
  });

  test("an opted-out target's engine has no probes", () => {
    const [engine] = build({ targets: [target({ probes: [] })] }).of("ChaosEngine");
    expect(engine.spec.experiments[0].spec.probe).toBeUndefined();
  });
});

describe("ChaosSchedule", () => {
  const schedules = [{ engine: "checkout-api-pods", cron: "0 10 * * TUE" }];

  test("a hardened, pinned CronJob per schedule on the system nodes that turns its engine on, never twice at once", () => {
    const { all } = build({}, { schedules });
    const [cron] = all("kubernetes_cron_job_v1");
    expect(cron!.metadata).toMatchObject({ name: "chaos-checkout-api-pods", namespace: CHAOS_NAMESPACE });
    expect(cron!.spec).toMatchObject({ schedule: "0 10 * * TUE", timezone: "Etc/UTC", concurrency_policy: "Forbid" });
    const pod = cron!.spec.job_template.spec.template.spec;
    expect(pod.node_selector).toEqual({ "sre-platform.io/node-role": "system" });
    expect(pod.toleration).toEqual([{ key: "CriticalAddonsOnly", operator: "Exists" }]);
    expect(pod.security_context).toMatchObject({ run_as_non_root: true, seccomp_profile: { type: "RuntimeDefault" } });
    const [c] = pod.container;
    expect(c.image).toBe(KUBECTL_IMAGE);
    expect(c.args.slice(0, 4)).toEqual(["patch", "chaosengine", "checkout-api-pods", "--namespace"]);
    expect(c.args).toContain('{"spec":{"engineState":"active"}}');
    expect(c.security_context).toMatchObject({ read_only_root_filesystem: true, allow_privilege_escalation: false, privileged: false, capabilities: { drop: ["ALL"] } });
    expect(c.resources.limits.memory).toBeDefined();
  });

  test("its ServiceAccount may only get and patch the scheduled engines, by name, in the chaos namespace", () => {
    const { all } = build({}, { schedules: [...schedules, { engine: "worker", cron: "@daily" }] });
    const role = all("kubernetes_role_v1").find((r) => r.metadata.name === "chaos-scheduler")!;
    expect(role.metadata.namespace).toBe(CHAOS_NAMESPACE);
    expect(role.rule).toEqual([{ api_groups: ["litmuschaos.io"], resources: ["chaosengines"], resource_names: ["checkout-api-pods", "worker"], verbs: ["get", "patch"] }]);
    expect(all("kubernetes_cluster_role_v1")).toEqual([]);
  });

  test.each(["0 10 * *", "61 * * * *", "* 24 * * *", "0 10 * * FUNDAY", "0 10 31-1 * *", "@every 5m"])("fails on the schedule %j, naming the field", (cron) => {
    expect(() => build({}, { schedules: [{ engine: "x", cron }] })).toThrow(/schedules\[0\]\.cron.*five-field cron/);
  });

  test.each(["*/15 9-17 * * MON-FRI", "0 0 1 JAN,JUL *", "@hourly", "5 4 * * 0,7"])("accepts %j", (cron) => {
    expect(() => build({}, { schedules: [{ engine: "x", cron }] })).not.toThrow();
  });
});
