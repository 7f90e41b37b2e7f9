import * as fs from "node:fs";
import * as path from "node:path";
import { Testing, TerraformStack } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { parse } from "yaml";
import {
  ArgoRollouts, ARGO_ROLLOUTS_CHART_VERSION, ARGO_ROLLOUTS_DEFAULTS, ArgoRolloutsProps, validateArgoRolloutsProps,
} from "../../../../constructs/addons/argo-rollouts/argo-rollouts";
import { CanaryAnalysis } from "../../../../constructs/addons/argo-rollouts/canary-analysis";
import { argoRolloutsAddon } from "../../../../constructs/addons/argo-rollouts/addon";
import { KubePrometheusStack } from "../../../../constructs/addons/kube-prometheus-stack/kube-prometheus-stack";
import { ENVIRONMENTS } from "../../../../environments";
import { validateEnvironment } from "../../../../lib/config/validate-environment";
import { compileDelivery } from "../../../../lib/delivery/delivery-plan";
import { sloSpecFiles } from "../../../../lib/slo/spec-folder";
import { loadAndCompileSlos } from "../../../../lib/slo/pipeline";
import { fakeCluster } from "../fake-cluster";

const ROOT = path.resolve(__dirname, "../../../..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
const FIXTURE = `argo-rollouts-${ARGO_ROLLOUTS_CHART_VERSION}.values.yaml`;
const chartDefaults = () => parse(read(`test/fixtures/helm-values/${FIXTURE}`)) as Record<string, any>;

function build(props: Partial<ArgoRolloutsProps> = {}) {
  const stack = new TerraformStack(Testing.app(), "test");
  const addon = new ArgoRollouts(stack, "ArgoRollouts", { cluster: fakeCluster(), ...props });
  const json = Testing.synth(stack);
  const release = Object.values(JSON.parse(json).resource.helm_release)[0] as { values: string[] };
  return { addon, json, values: parse(release.values[0]!) as Record<string, any> };
}

describe("ArgoRollouts", () => {
  test("pins argo-rollouts 2.41.0 from argoproj's repository into its namespace", () => {
    expect(build().json).toHaveResourceWithProperties(Release, {
      name: "argo-rollouts",
      chart: "argo-rollouts",
      repository: "https://argoproj.github.io/argo-helm",
      version: "2.41.0",
      namespace: "argo-rollouts",
    });
    expect(read("test/fixtures/helm-values/SOURCES.md")).toContain(`| ${FIXTURE} |`);
  });

  test("declares the five CRDs its chart installs, each with a committed schema and a SOURCES row", () => {
    expect(Object.keys(ARGO_ROLLOUTS_DEFAULTS.crds!).sort()).toEqual(
      ["AnalysisRun", "AnalysisTemplate", "ClusterAnalysisTemplate", "Experiment", "Rollout"].map((k) => `argoproj.io/v1alpha1/${k}`),
    );
    expect(argoRolloutsAddon.crds).toBe(ARGO_ROLLOUTS_DEFAULTS.crds);
    const sources = read("schemas/crds/SOURCES.md");
    for (const file of Object.values(ARGO_ROLLOUTS_DEFAULTS.crds!)) {
      expect(fs.existsSync(path.join(ROOT, "schemas/crds", file))).toBe(true);
      expect(sources).toContain(`| ${file} | `);
    }
  });

  test("runs the chart's controller image at its appVersion, pinned, from the registry the admission policy allows", () => {
    const { values } = build();
    expect(values.controller.image).toEqual({ registry: "quay.io", repository: "argoproj/argo-rollouts", tag: "v1.9.0", pullPolicy: "IfNotPresent" });
    expect(argoRolloutsAddon.registries).toEqual(["quay.io/argoproj"]);
    expect(read("schemas/crds/SOURCES.md")).toContain("Argo Rollouts v1.9.0");
  });

  test("keeps Istio's traffic-router RBAC and turns every other provider of the chart off", () => {
    const { values } = build();
    const providers = Object.keys(chartDefaults().providerRBAC.providers);
    expect(Object.keys(values.providerRBAC.providers).sort()).toEqual([...providers].sort());
    expect(Object.entries(values.providerRBAC.providers).filter(([, on]) => on).map(([k]) => k)).toEqual(["istio"]);
    expect(values.clusterInstall).toBe(true);
    expect(values.dashboard.enabled).toBe(false);
  });

  test("is hardened and placed by the workload profile: contexts, resources, system nodes, a budget from two replicas", () => {
    const { values } = build();
    expect(values.podSecurityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, seccompProfile: { type: "RuntimeDefault" } });
    expect(values.containerSecurityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    expect(values.controller.resources).toEqual({ requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } });
    expect(values.controller.replicas).toBe(2);
    expect(values.controller.pdb).toEqual({ enabled: true, minAvailable: 1 });
    expect(values.controller.tolerations).toEqual([{ key: "CriticalAddonsOnly", operator: "Exists" }]);
    expect(values.controller.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution).toBeDefined();
    expect(build({ replicas: 1 }).values.controller.pdb).toEqual({ enabled: false });
  });

  test("fails when the controller would get a CPU limit", () => {
    const problems = validateArgoRolloutsProps({ resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi", cpu: "1" } as any } });
    expect(problems.map((p) => p.path)).toContain("resources.limits.cpu");
  });

  test("every environment's section passes the construct's own validator", () => {
    for (const env of ENVIRONMENTS) expect(argoRolloutsAddon.validate!(validateEnvironment(env).config!)).toEqual([]);
  });
});

describe("CanaryAnalysis", () => {
  const prod = ENVIRONMENTS.find((e) => e.name === "prod")!;
  const compiled = loadAndCompileSlos(sloSpecFiles(ROOT, prod.slo?.specs), { environment: "prod", knownEnvironments: ["dev", "staging", "prod"] }).result;

  function stacks() {
    const app = Testing.app();
    const lower = new TerraformStack(app, "lower");
    const cluster = fakeCluster();
    const rollouts = new ArgoRollouts(lower, "ArgoRollouts", { cluster });
    const monitoring = new KubePrometheusStack(lower, "KubePrometheusStack", { cluster, storageClassName: "gp3" });
    const upper = new TerraformStack(app, "upper");
    return { rollouts, monitoring, upper };
  }

  test("makes every template and the policy rule as custom resources after their CRDs, querying the release's Prometheus", () => {
    const { rollouts, monitoring, upper } = stacks();
    const plan = compileDelivery(prod.delivery, compiled, monitoring.prometheusUrl);
    const analysis = new CanaryAnalysis(upper, "CanaryAnalysis", { plan, rollouts, monitoring, ruleNamespace: "argo-rollouts" });
    expect(Object.keys(analysis.templates)).toEqual(["payments/checkout-api-availability-canary", "payments/checkout-api-availability-budget-gate", "payments/checkout-api-latency-budget-gate"]);
    expect(monitoring.prometheusUrl).toBe("http://kube-prometheus-stack-prometheus.monitoring.svc:9090");
    const json = Testing.synth(upper);
    expect(json).toHaveResourceWithProperties(Manifest, {
      manifest: expect.objectContaining({ kind: "AnalysisTemplate", metadata: expect.objectContaining({ name: "checkout-api-availability-canary", namespace: "payments" }) }),
    });
    expect(json).toHaveResourceWithProperties(Manifest, {
      manifest: expect.objectContaining({ kind: "PrometheusRule", metadata: expect.objectContaining({ name: "error-budget-policy", namespace: "argo-rollouts", labels: { release: "kube-prometheus-stack" } }) }),
    });
    expect(analysis.templates["payments/checkout-api-availability-canary"]!.installerStack.node.id).toBe("lower");
  });

  test("fails at synth, naming the construct and field, when a template breaks the AnalysisTemplate schema", () => {
    const { rollouts, monitoring, upper } = stacks();
    const plan = compileDelivery(prod.delivery, compiled, monitoring.prometheusUrl);
    const t = plan.analysisTemplates[0]!;
    const broken = { ...plan, analysisTemplates: [{ ...t, spec: { ...t.spec, metrics: [{ ...t.spec.metrics[0]!, failureLimt: 1 }] } }] };
    expect(() => new CanaryAnalysis(upper, "CanaryAnalysis", { plan: broken, rollouts, monitoring, ruleNamespace: "argo-rollouts" })).toThrow(/CanaryAnalysis\/AnalysisTemplate-payments-checkout-api-availability-canary.*failureLimt/s);
  });
});
