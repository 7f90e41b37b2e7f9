import { namespaceMatcherDiagnostics, selectorsWithoutNamespace } from "../../../lib/slo/namespace-matchers";
import { validateSloSpec } from "../../../lib/slo/validate";
import { formatDiagnostic, SloError } from "../../../lib/slo/model";
import type { SloSpecV1 } from "../../../lib/slo/formats/sre-platform-v1";

describe("selectorsWithoutNamespace", () => {
  test.each<[string, string[]]>([
    ['sum(rate(http_requests_total{namespace="payments",code=~"5.."}[{{.window}}]))', []],
    ['sum(rate(x{namespace=~"payments|payments-batch"}[{{.window}}]))', []],
    ['up{job="api"}', ['up{job="api"}']],
    ["up", ["up"]],
    // Matchers that read every namespace, or all but some, pin nothing.
    ['up{namespace=~".+"}', ['up{namespace=~".+"}']],
    ['up{namespace=~"pay.*"}', ['up{namespace=~"pay.*"}']],
    ['up{namespace!="kube-system"}', ['up{namespace!="kube-system"}']],
    ['up{namespace=""}', ['up{namespace=""}']],
    ['up{kubernetes_namespace="payments"}', ['up{kubernetes_namespace="payments"}']],
    // Every selector of the query counts, the one inside a ratio too.
    ['sum(rate(a{namespace="p"}[{{.window}}])) / sum(rate(b{job="x"}[{{.window}}]))', ['b{job="x"}']],
    ["not ( valid", []],
  ])("%s → %j", (query, open) => {
    expect(selectorsWithoutNamespace(query)).toEqual(open);
  });
});

describe("namespaceMatcherDiagnostics", () => {
  const spec = (selector: string): SloSpecV1 => ({
    version: "sre-platform/v1",
    service: "api",
    slos: [{ name: "latency", objective: 99, sli: { latency: { metric: "http_request_duration_seconds", selector, threshold: "0.3" } }, alerting: { name: "ApiLatency" } }],
  });

  test("a latency SLI's selector is read with its metric; one line names the file, the SLO, the field and the selector", () => {
    const defs = validateSloSpec(spec('job="api"'), { file: "api.yaml" });
    expect(namespaceMatcherDiagnostics(defs).map(formatDiagnostic)).toEqual([
      "api.yaml: api-latency: slos[0].sli.latency.selector: SLI selector `http_request_duration_seconds{job=\"api\"}` has no namespace matcher: it reads every namespace's series, which any scraped pod can forge (and a team's rules see only their own namespace); add namespace=\"<the service's namespace>\"",
    ]);
    expect(namespaceMatcherDiagnostics(validateSloSpec(spec('namespace="api",job="api"')))).toEqual([]);
  });

  test("a spec built in TypeScript is refused with strict, accepted without", () => {
    expect(() => validateSloSpec(spec('job="api"'), { strict: true })).toThrow(SloError);
    expect(() => validateSloSpec(spec('job="api"'), { strict: true })).toThrow(/slos\[0\]\.sli\.latency\.selector: SLI selector .* has no namespace matcher/);
    expect(validateSloSpec(spec('job="api"'))).toHaveLength(1);
  });
});
