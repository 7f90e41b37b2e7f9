import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import {
  collectorConfig, collectorConfigProblems, componentModuleName, distributionComponents, samplingMode, type TraceSampling,
} from "../../../../lib/observability/tracing/collector-config";

const ROOT = path.resolve(__dirname, "../../../..");
/** The contrib distribution's builder manifest at the image version the collector add-on pins (see its SOURCES.md). */
const CONTRIB = distributionComponents(parse(fs.readFileSync(path.join(ROOT, "test/fixtures/otelcol/otelcol-contrib-0.158.0.manifest.yaml"), "utf8")));
const TEMPO = "tempo.tempo.svc.cluster.local:4317";
const build = (sampling: TraceSampling) => collectorConfig({ sampling, tempoEndpoint: TEMPO });

const SAMPLINGS: Array<[string, TraceSampling]> = [
  ["everything", { percentage: 100, keepErrors: false }],
  ["a share", { percentage: 10, keepErrors: false }],
  ["a share, errors and slow traces", { percentage: 10, keepErrors: true, slowerThan: "2s" }],
  ["errors alone besides the share", { percentage: 25, keepErrors: true }],
  ["slow traces alone besides the share", { percentage: 25, keepErrors: false, slowerThan: "500ms" }],
];

describe("the sampling mode follows the settings", () => {
  test.each([
    [{ percentage: 100, keepErrors: false }, "none"],
    // At 100 % nothing is dropped, so there is nothing for the keep rules to rescue.
    [{ percentage: 100, keepErrors: true, slowerThan: "1s" }, "none"],
    [{ percentage: 10, keepErrors: false }, "probabilistic"],
    [{ percentage: 10, keepErrors: true }, "tail"],
    [{ percentage: 10, keepErrors: false, slowerThan: "1s" }, "tail"],
  ] as Array<[TraceSampling, string]>)("%j → %s", (sampling, mode) => {
    expect(samplingMode(sampling)).toBe(mode);
  });
});

describe.each(SAMPLINGS)("sampling %s", (_name, sampling) => {
  const config = build(sampling);

  test("every pipeline names only defined components, and every component is in the contrib distribution", () => {
    expect(collectorConfigProblems(config, CONTRIB)).toEqual([]);
  });

  test("OTLP in, memory_limiter first and batch last before Tempo; span metrics from every span, before sampling", () => {
    const p = config.service.pipelines;
    expect(p.traces!.receivers).toEqual(["otlp"]);
    expect(p.traces!.processors![0]).toBe("memory_limiter");
    expect(p.traces!.processors!.at(-1)).toBe("batch");
    expect(p.traces!.exporters).toEqual(["otlp/tempo"]);
    expect((config.exporters["otlp/tempo"] as { endpoint: string }).endpoint).toBe(TEMPO);
    // The RED metrics' pipeline has no sampler: it counts every request.
    expect(p["traces/metrics"]!.processors).toEqual(["memory_limiter"]);
    expect(p["metrics/spans"]!.exporters).toEqual(["prometheus"]);
    expect(Object.keys(config.receivers)).toEqual(["otlp"]);
  });
});

test("the sampler in the traces pipeline matches the mode", () => {
  expect(build({ percentage: 100, keepErrors: false }).service.pipelines.traces!.processors).toEqual(["memory_limiter", "batch"]);
  const probabilistic = build({ percentage: 10, keepErrors: false });
  expect(probabilistic.service.pipelines.traces!.processors).toEqual(["memory_limiter", "probabilistic_sampler", "batch"]);
  expect(probabilistic.processors.probabilistic_sampler).toEqual({ sampling_percentage: 10 });
  expect(build({ percentage: 10, keepErrors: true }).service.pipelines.traces!.processors).toEqual(["memory_limiter", "tail_sampling", "batch"]);
});

test("tail sampling keeps errors, traces slower than the threshold, and the configured share (OR'ed policies)", () => {
  const tail = build({ percentage: 10, keepErrors: true, slowerThan: "2s" }).processors.tail_sampling as { policies: unknown[]; decision_wait: string };
  expect(tail.policies).toEqual([
    { name: "errors", type: "status_code", status_code: { status_codes: ["ERROR"] } },
    { name: "slow", type: "latency", latency: { threshold_ms: 2000 } },
    { name: "share", type: "probabilistic", probabilistic: { sampling_percentage: 10 } },
  ]);
  expect(tail.decision_wait).toBe("10s");
  const slowOnly = build({ percentage: 25, keepErrors: false, slowerThan: "500ms" }).processors.tail_sampling as { policies: Array<{ name: string }> };
  expect(slowOnly.policies.map((p) => p.name)).toEqual(["slow", "share"]);
});

describe("collectorConfigProblems", () => {
  const good = (): any => JSON.parse(JSON.stringify(build({ percentage: 10, keepErrors: true })));

  test("fails when a pipeline names a processor that is not defined", () => {
    const c = good();
    delete c.processors.tail_sampling;
    expect(collectorConfigProblems(c)).toEqual([expect.objectContaining({ path: "service.pipelines.traces.processors[1]", value: "tail_sampling" })]);
  });

  test("fails when a pipeline names an exporter or receiver that is not defined", () => {
    const c = good();
    c.service.pipelines.traces.exporters = ["otlp/jaeger"];
    c.service.pipelines["metrics/spans"].receivers = ["spanmetrics", "servicegraph", "kafka"];
    expect(collectorConfigProblems(c).map((p) => p.path)).toEqual(["service.pipelines.traces.exporters[0]", "service.pipelines.metrics/spans.receivers[2]"]);
  });

  test("fails when a connector is used on one side only", () => {
    const c = good();
    c.service.pipelines["metrics/spans"].receivers = ["spanmetrics"];
    expect(collectorConfigProblems(c)).toEqual([expect.objectContaining({ path: "connectors.servicegraph" })]);
  });

  test("fails when an enabled extension is not defined", () => {
    const c = good();
    c.service.extensions = ["health_check", "pprof"];
    expect(collectorConfigProblems(c)).toEqual([expect.objectContaining({ path: "service.extensions[1]", value: "pprof" })]);
  });

  test("fails when the distribution is not built with a component (the core distribution has no tail sampling)", () => {
    const withoutTail = { ...CONTRIB, processors: CONTRIB.processors.filter((m) => m !== "tailsamplingprocessor") };
    expect(collectorConfigProblems(good(), withoutTail)).toEqual([expect.objectContaining({ path: "processors.tail_sampling", value: "tail_sampling" })]);
  });
});

test("component types map to the manifest's module names (the convention the check relies on)", () => {
  expect(componentModuleName("processors", "memory_limiter")).toBe("memorylimiterprocessor");
  expect(componentModuleName("extensions", "health_check")).toBe("healthcheckextension");
  expect(componentModuleName("connectors", "spanmetrics")).toBe("spanmetricsconnector");
  // The fixture really is the contrib manifest: its own modules are there, and a made-up one is not.
  expect(CONTRIB.receivers).toContain("otlpreceiver");
  expect(CONTRIB.exporters).toEqual(expect.arrayContaining(["otlpexporter", "prometheusexporter", "loadbalancingexporter"]));
  expect(CONTRIB.processors).not.toContain("nosuchprocessor");
});
