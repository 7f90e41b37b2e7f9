import * as fs from "node:fs";
import * as path from "node:path";
import { Testing, TerraformStack } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { parse } from "yaml";
import {
  OpenTelemetryCollector, OTEL_COLLECTOR_CHART_VERSION, OpenTelemetryCollectorProps, validateOpenTelemetryCollectorProps,
} from "../../../../constructs/addons/opentelemetry-collector/opentelemetry-collector";
import { openTelemetryCollectorAddon } from "../../../../constructs/addons/opentelemetry-collector/addon";
import { collectorConfigProblems, distributionComponents, type CollectorConfig } from "../../../../lib/observability/tracing/collector-config";
import { fakeCluster, policyStatements, unknownTopLevelKeys } from "../fake-cluster";
import { helmCoalesce } from "../support/helm-merge";

const ROOT = path.resolve(__dirname, "../../../..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
const FIXTURE = `opentelemetry-collector-${OTEL_COLLECTOR_CHART_VERSION}.values.yaml`;
const chartDefaults = () => parse(read(`test/fixtures/helm-values/${FIXTURE}`)) as Record<string, any>;
const CONTRIB = distributionComponents(parse(read("test/fixtures/otelcol/otelcol-contrib-0.158.0.manifest.yaml")));
const TEMPO = "tempo.tempo.svc.cluster.local:4317";

function build(props: Partial<OpenTelemetryCollectorProps> = {}) {
  const stack = new TerraformStack(Testing.app(), "test");
  const collector = new OpenTelemetryCollector(stack, "OpenTelemetryCollector", { cluster: fakeCluster(), tempoEndpoint: TEMPO, ...props });
  const json = Testing.synth(stack);
  const tf = JSON.parse(json);
  const release = Object.values(tf.resource.helm_release)[0] as { values: string[] };
  // What Helm receives: Terraform turns its escapes `$${` and `%%{` back into `${` and `%{`.
  const values = parse(release.values[0]!.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{")) as Record<string, any>;
  return { collector, json, tf, raw: release.values[0]!, values, merged: helmCoalesce(values, chartDefaults()) as Record<string, any> };
}

describe("OpenTelemetryCollector", () => {
  test("pins the opentelemetry-collector chart 0.170.0 as a Deployment of the contrib image at the chart's appVersion", () => {
    const { json, values } = build();
    expect(json).toHaveResourceWithProperties(Release, {
      name: "otel-collector", chart: "opentelemetry-collector", repository: "https://open-telemetry.github.io/opentelemetry-helm-charts", version: "0.170.0", namespace: "opentelemetry",
    });
    // The chart requires both since it stopped defaulting them.
    expect(values.mode).toBe("deployment");
    expect(values.image).toEqual({ repository: "docker.io/otel/opentelemetry-collector-contrib", tag: "0.158.0", pullPolicy: "IfNotPresent" });
    expect(values.command.name).toBe("otelcol-contrib");
    expect(read(`test/fixtures/helm-values/SOURCES.md`)).toContain(`| ${FIXTURE} |`);
    expect(read("test/fixtures/otelcol/SOURCES.md")).toContain("| otelcol-contrib-0.158.0.manifest.yaml | open-telemetry/opentelemetry-collector-releases |");
    expect(openTelemetryCollectorAddon.repositories).toEqual(["docker.io/otel/opentelemetry-collector-contrib"]);
  });

  test("writes only keys the chart has", () => {
    expect(unknownTopLevelKeys(build().values, Object.keys(chartDefaults()))).toEqual([]);
  });

  test("the configuration the collector runs (over the chart's defaults) is exactly the generated one, valid for the contrib distribution", () => {
    const { merged, collector } = build({ sampling: { percentage: 10, keepErrors: true, slowerThan: "2s" } });
    const running = merged.config as CollectorConfig;
    // The chart's Jaeger, Zipkin and self-scrape receivers, its debug exporter and its logs and metrics pipelines are gone.
    expect(Object.keys(running.receivers)).toEqual(["otlp"]);
    expect(Object.keys(running.exporters).sort()).toEqual(["otlp/tempo", "prometheus"]);
    expect(Object.keys(running.service.pipelines).sort()).toEqual(["metrics/spans", "traces", "traces/metrics"]);
    expect(running.service.pipelines).toEqual(collector.config.service.pipelines);
    expect(running.processors.tail_sampling).toEqual(collector.config.processors.tail_sampling);
    expect(collectorConfigProblems(running, CONTRIB)).toEqual([]);
  });

  test("the collector's own ${env:…} references reach Helm verbatim: escaped from Terraform's interpolation", () => {
    const { raw, merged } = build();
    expect(raw).toContain("endpoint: $${env:MY_POD_IP}:4317");
    expect(raw).not.toMatch(/(^|[^$])\$\{env:/);
    expect(merged.config.receivers.otlp.protocols.grpc.endpoint).toBe("${env:MY_POD_IP}:4317");
  });

  test("opens OTLP and the metrics ports, closes the chart's Jaeger and Zipkin ports", () => {
    const { merged } = build();
    const enabled = Object.entries(merged.ports as Record<string, { enabled: boolean; containerPort: number }>).filter(([, p]) => p.enabled).map(([n, p]) => [n, p.containerPort]);
    expect(Object.fromEntries(enabled)).toEqual({ otlp: 4317, "otlp-http": 4318, metrics: 8888, "span-metrics": 8889 });
  });

  test("runs hardened as the image's user, without an API token, with a memory limit, on the system nodes", () => {
    const { merged, tf } = build();
    expect(merged.podSecurityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } });
    expect(merged.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    expect(merged.resources).toEqual({ requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } });
    expect(merged.useGOMEMLIMIT).toBe(true);
    expect(merged.serviceAccount.automountServiceAccountToken).toBe(false);
    expect(merged.tolerations).toEqual([{ key: "CriticalAddonsOnly", operator: "Exists" }]);
    // No AWS permissions at all.
    expect(tf.resource.aws_iam_role).toBeUndefined();
    expect(policyStatements(tf)).toEqual([]);
  });

  test("several replicas with probabilistic sampling get a disruption budget and a zone spread", () => {
    const { values, collector } = build({ replicas: 3, sampling: { percentage: 20, keepErrors: false }, spreadAcrossZones: true });
    expect(values.replicaCount).toBe(3);
    expect(values.podDisruptionBudget).toEqual({ enabled: true, minAvailable: 1 });
    expect(values.topologySpreadConstraints[0]).toMatchObject({ topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule" });
    expect(collector.config.service.pipelines.traces!.processors).toContain("probabilistic_sampler");
  });

  test("names the endpoints teams send to", () => {
    const { collector } = build();
    expect(collector.otlpGrpcEndpoint).toBe("otel-collector.opentelemetry.svc.cluster.local:4317");
    expect(collector.otlpHttpEndpoint).toBe("http://otel-collector.opentelemetry.svc.cluster.local:4318");
  });

  describe("validateOpenTelemetryCollectorProps", () => {
    test("fails when tail sampling (keeping errors or slow traces) would run on more than one replica", () => {
      expect(validateOpenTelemetryCollectorProps({ replicas: 2, sampling: { percentage: 10, keepErrors: true } })).toEqual([
        expect.objectContaining({ path: "replicas", value: 2, allowed: expect.stringContaining("tail sampling") }),
      ]);
      expect(validateOpenTelemetryCollectorProps({ replicas: 2, sampling: { percentage: 10, keepErrors: false, slowerThan: "1s" } })).toHaveLength(1);
      // Probabilistic sampling decides alike on every replica; at 100 % nothing is sampled.
      expect(validateOpenTelemetryCollectorProps({ replicas: 2, sampling: { percentage: 10, keepErrors: false } })).toEqual([]);
      expect(validateOpenTelemetryCollectorProps({ replicas: 2, sampling: { percentage: 100, keepErrors: true } })).toEqual([]);
    });
    test("fails when the percentage is not above 0 and at most 100", () => {
      expect(validateOpenTelemetryCollectorProps({ sampling: { percentage: 0, keepErrors: false } })).toEqual([expect.objectContaining({ path: "sampling.percentage", value: 0 })]);
      expect(validateOpenTelemetryCollectorProps({ sampling: { percentage: 101, keepErrors: false } })).toEqual([expect.objectContaining({ path: "sampling.percentage" })]);
    });
    test("fails when the latency threshold is not a positive duration", () => {
      expect(validateOpenTelemetryCollectorProps({ sampling: { percentage: 10, keepErrors: false, slowerThan: "soon" } })).toEqual([expect.objectContaining({ path: "sampling.slowerThan" })]);
    });
    test("fails when Tempo's endpoint is not host:port", () => {
      expect(validateOpenTelemetryCollectorProps({ tempoEndpoint: "http://tempo:4317" })).toEqual([expect.objectContaining({ path: "tempoEndpoint" })]);
    });
    test("the constructor throws one error naming the field", () => {
      expect(() => build({ replicas: 2, sampling: { percentage: 10, keepErrors: true } })).toThrow(/replicas/);
    });
  });
});
