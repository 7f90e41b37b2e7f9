import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, Testing, TerraformStack } from "cdktf";
import { ClusterAccess } from "../../../constructs/cluster/cluster-access";
import { SloRules, SloRulesProps, validateSloRulesProps } from "../../../constructs/observability/slo-rules";
import { fakeCluster } from "../../support/fakes";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slo-rules-"));
fs.mkdirSync(path.join(dir, "good"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function spec(file: string, service: string, objective: number, extra = ""): string {
  const p = path.join(dir, file);
  fs.writeFileSync(
    p,
    `version: sre-platform/v1
service: ${service}
slos:
  - name: availability
    objective: ${objective}
    sli:
      events:
        errorQuery: sum(rate(http_requests_total{job="${service}",code=~"5.."}[{{.window}}]))
        totalQuery: sum(rate(http_requests_total{job="${service}"}[{{.window}}]))
    alerting:
      name: ${service.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase())}Availability
${extra}`,
  );
  return p;
}

const orders = spec("good/orders.yaml", "orders", 99.9);
const search = spec("good/search.yaml", "search", 99.5);

function build(props: Partial<SloRulesProps> = {}) {
  const app = Testing.app();
  const stack = new TerraformStack(app, "team");
  const access = new ClusterAccess(stack, "Access", { cluster: fakeCluster(), alias: "observed" });
  const rules = new SloRules(stack, "SloRules", { specs: [orders, search], prometheus: { namespace: "monitoring", releaseLabel: "kube-prometheus-stack" }, access, ...props });
  return { app, stack, rules };
}

function manifests(stack: TerraformStack): Array<{ manifest: any; provider?: string }> {
  return Object.values(JSON.parse(Testing.synth(stack)).resource.kubernetes_manifest ?? {}) as any;
}

describe("SloRules", () => {
  test("compiles each service's specs into one PrometheusRule for the given Prometheus", () => {
    const { stack, rules } = build();
    const objs = manifests(stack);
    expect(objs.map((o) => o.manifest.metadata.name).sort()).toEqual(["slo-orders", "slo-search"]);
    for (const o of objs) {
      expect(o.manifest).toMatchObject({ apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule" });
      expect(o.manifest.metadata.namespace).toBe("monitoring");
      expect(o.manifest.metadata.labels.release).toBe("kube-prometheus-stack");
      expect(o.provider).toBe("kubernetes.observed");
    }
    const orderRules = objs.find((o) => o.manifest.metadata.name === "slo-orders")!.manifest.spec.groups.flatMap((g: any) => g.rules);
    expect(orderRules.some((r: any) => r.alert === "OrdersAvailability")).toBe(true);
    expect(orderRules.some((r: any) => typeof r.record === "string" && /orders/.test(JSON.stringify(r.labels ?? {}) + r.expr))).toBe(true);
    // Each service's PrometheusRule holds its own service-down (P0) alert, and no other service's.
    expect(orderRules.filter((r: any) => r.labels?.priority === "P0").map((r: any) => [r.alert, r.labels.sre_service])).toEqual([["OrdersDown", "orders"]]);
    expect(rules.problems).toEqual([]);
    expect(Object.keys(rules.manifests).sort()).toEqual(["orders", "search"]);
  });

  test("reads a directory as its *.yaml files and takes further rule-selector labels", () => {
    const { stack } = build({ specs: [path.join(dir, "good")], prometheus: { namespace: "obs", ruleLabels: { prometheus: "team-a" } } });
    const objs = manifests(stack);
    expect(objs).toHaveLength(2);
    expect(objs[0]!.manifest.metadata.labels).toMatchObject({ prometheus: "team-a" });
    expect(objs[0]!.manifest.metadata.labels.release).toBeUndefined();
  });

  test("fails when an objective is a ratio, at synth, with one error annotation and no manifest", () => {
    const bad = spec("ratio.yaml", "ratio", 0.995);
    const { app, stack, rules } = build({ specs: [bad] });
    expect(rules.problems).toEqual([expect.stringMatching(/ratio\.yaml: ratio-availability: slos\[0\]\.objective: .*did you mean 99\.5\?/)]);
    expect(rules.manifests).toEqual({});
    const errors = rules.node.metadata.filter((m) => m.type === "@cdktf/error");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.trace).toBeUndefined();
    expect(() => app.synth()).toThrow(/Encountered Annotations with level "ERROR":\n\[team\/SloRules\] .*did you mean 99\.5\?/);
    void stack;
  });

  test("reports the compiler's warnings as warning annotations", () => {
    // Objective 90 with a 30d page window pair of factor 14.4: 14.4 × 0.1 ≥ 1, the page alert can never fire.
    const weak = spec("weak.yaml", "weak", 90);
    const { rules } = build({ specs: [weak] });
    expect(rules.warnings.some((w) => /can never fire/.test(w))).toBe(true);
    const warns = rules.node.metadata.filter((m) => m.type === "@cdktf/warn");
    expect(warns.map((m) => m.data)).toEqual(rules.warnings);
  });

  describe("an environment name", () => {
    const overridden = spec("overridden.yaml", "overridden", 99.5, `    environments:
      prod:
        objective: 99.9
`);
    const objective = (rules: SloRules) =>
      rules.prometheusRules["overridden"]!.spec.groups.flatMap((g) => g.rules).find((r) => r.record === "slo:objective:ratio")?.expr;

    test("applies the overrides of one a spec names", () => {
      const { rules } = build({ specs: [overridden], environment: "prod" });
      expect(rules.problems).toEqual([]);
      expect(objective(rules)).toBe("vector(0.999)");
    });

    test("takes the base objectives for one no spec overrides and close to none (dev)", () => {
      const { rules } = build({ specs: [overridden], environment: "dev" });
      expect(rules.problems).toEqual([]);
      expect(objective(rules)).toBe("vector(0.995)");
    });

    test("refuses one close to an overridden name (prd), which would silently get the base objectives", () => {
      const { rules } = build({ specs: [overridden], environment: "prd" });
      expect(rules.problems).toEqual([expect.stringMatching(/: environment: unknown environment "prd" \(did you mean "prod"\?\): no spec overrides it, .*the specs override: prod$/)]);
      expect(rules.manifests).toEqual({});
    });

    test("refuses one outside knownEnvironments, suggesting the nearest", () => {
      const { rules } = build({ specs: [overridden], environment: "stagng", knownEnvironments: ["dev", "staging", "prod"] });
      expect(rules.problems).toEqual([expect.stringMatching(/: environment: unknown environment "stagng" \(did you mean "staging"\?\); allowed: dev, staging, prod$/)]);
      expect(build({ specs: [overridden], environment: "dev", knownEnvironments: ["dev", "staging", "prod"] }).rules.problems).toEqual([]);
    });
  });

  test("fails when a spec file does not exist, naming it", () => {
    const { rules } = build({ specs: [path.join(dir, "missing.yaml")] });
    expect(rules.problems.join("\n")).toMatch(/missing\.yaml/);
  });

  test.each<[string, Partial<SloRulesProps> | undefined, RegExp]>([
    ["specs is empty", { specs: [] }, /^specs: got \[\]; allowed: at least one SLO spec file/],
    ["specs is missing", { specs: undefined as any }, /^specs: got nothing; allowed/],
    ["prometheus is missing", { prometheus: undefined as any }, /^prometheus: got nothing; allowed/],
    ["the namespace is not a DNS label", { prometheus: { namespace: "Monitoring" } }, /^prometheus\.namespace: got "Monitoring"/],
    ["the release label is not a label value", { prometheus: { namespace: "m", releaseLabel: "a b" } }, /^prometheus\.releaseLabel: got "a b"/],
    ["the period is unsupported", { period: "90d" as any }, /^period: got "90d"; allowed: 30d, 28d, 7d/],
    ["the name prefix is not a DNS label", { namePrefix: "SLO" }, /^namePrefix: got "SLO"/],
  ])("fails when %s", (_name, override, message) => {
    const { rules } = build(override);
    expect(rules.problems).toEqual([expect.stringMatching(message)]);
  });

  test("fails when called without props from JavaScript, naming what is needed", () => {
    const app = new App({ outdir: path.join(dir, "out") });
    const stack = new TerraformStack(app, "js");
    const rules = new SloRules(stack, "SloRules", undefined as any);
    expect(rules.problems).toEqual([expect.stringMatching(/^props: got nothing; allowed: an object with specs and prometheus/)]);
    expect(validateSloRulesProps({ specs: [orders], prometheus: { namespace: "monitoring" } })).toEqual([]);
  });
});
