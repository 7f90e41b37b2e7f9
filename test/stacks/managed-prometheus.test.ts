/**
 * Amazon Managed Prometheus in the synthesized environments: prod's observability layer holds the workspace and
 * remote-writes to it; no SLO alert is evaluated in both places (no double pages); dev and staging are unchanged.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { synthesizedApp, synthesizedStack } from "../support/synthesized-app";
import { ENVIRONMENTS, loadEnvironments } from "../../environments";
import { compileEnvironmentSlos } from "../../stacks/slo-artifacts";
import { generateEnvironmentObservability } from "../../stacks/observability-artifacts";
import { AMP_REMOTE_WRITE_QUEUE, alertNames, recordedSeries } from "../../lib/observability/managed-prometheus";

type Json = Record<string, any>;
const resources = (stack: Json, type: string): Json[] => Object.values(stack.resource?.[type] ?? {});
const kpsValues = (stack: Json): Json => parse(resources(stack, "helm_release").find((r) => r.chart === "kube-prometheus-stack")!.values[0]);
const sloRule = (stack: Json): Json => resources(stack, "kubernetes_manifest").map((m) => m.manifest).find((m) => m.kind === "PrometheusRule" && m.metadata.labels["app.kubernetes.io/component"] === "slo");
const namespaceGroups = (stack: Json) => resources(stack, "aws_prometheus_rule_group_namespace").flatMap((n) => (parse(n.data) as { groups: Json[] }).groups);

describe("Amazon Managed Prometheus in the environments", () => {
  const prod = synthesizedStack("prod-observability");
  const prodResources = synthesizedStack("prod-observability-resources");

  test("prod's observability layer holds the workspace, its rule namespaces and its alert manager", () => {
    expect(resources(prod, "aws_prometheus_workspace")).toHaveLength(1);
    expect(resources(prod, "aws_prometheus_rule_group_namespace").map((n) => n.name).sort()).toEqual(["p0-escalation", "slo-checkout-api", "slo-payments-worker"]);
    expect(resources(prod, "aws_prometheus_alert_manager_definition")).toHaveLength(1);
  });

  test("the workspace pages the SMS phones itself: AMP may publish to the SMS topics for this workspace, before the definition", () => {
    const topics = Object.entries<Json>(prod.resource.aws_sns_topic).filter(([, t]) => /-p0-sms$/.test(t.name));
    expect(topics.map(([, t]) => t.name).sort()).toEqual(["sre-prod-p0-sms", "sre-prod-payments-p0-sms"]);
    const definition = resources(prod, "aws_prometheus_alert_manager_definition")[0]!;
    const docs = Object.entries<Json>(prod.data.aws_iam_policy_document);
    for (const [id] of topics) {
      const pager = id.replace(/_Topic_[0-9A-F]+$/, "");
      const [, doc] = docs.find(([k]) => k.startsWith(`${pager}_Topic_Policy`))!;
      const amp = doc.statement.find((st: Json) => st.principals?.[0]?.identifiers?.includes("aps.amazonaws.com"));
      expect(amp).toMatchObject({ actions: ["sns:Publish"], condition: expect.arrayContaining([expect.objectContaining({ variable: "aws:SourceArn", values: [expect.stringMatching(/^\$\{aws_prometheus_workspace\./)] })]) });
      expect(definition.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^aws_sns_topic_policy\\.${pager}_Topic_TopicPolicy`))]));
    }
  });

  test("no double pages: the workspace evaluates every SLO alert, the cluster none of them, and both record the same series", () => {
    const cluster = sloRule(prodResources).spec.groups as Json[];
    const workspace = namespaceGroups(prod);
    expect(alertNames(workspace as any)).toEqual(expect.arrayContaining(["CheckoutApiAvailability", "CheckoutApiDown", "P0Escalation"]));
    expect(alertNames(cluster as any)).toEqual([]);
    expect(recordedSeries(cluster as any)).toEqual(recordedSeries(workspace as any));
  });

  test("prod's Prometheus remote-writes to the workspace with SigV4 and the generated queue, without the series the workspace records", () => {
    const v = kpsValues(prod);
    const [rw] = v.prometheus.prometheusSpec.remoteWrite;
    expect(rw.url).toMatch(/^\$\{aws_prometheus_workspace\.[^}]+\.prometheus_endpoint\}api\/v1\/remote_write$/);
    expect(rw.sigv4).toEqual({ region: "eu-west-1" });
    expect(rw.queueConfig).toEqual(AMP_REMOTE_WRITE_QUEUE);
    expect(rw.writeRelabelConfigs[0]).toMatchObject({ sourceLabels: ["__name__"], action: "drop" });
    expect(new RegExp(`^${rw.writeRelabelConfigs[0].regex}$`).test("sre_slo:requests:rate5m")).toBe(true);
    expect(new RegExp(`^${rw.writeRelabelConfigs[0].regex}$`).test("http_requests_total")).toBe(false);
    expect(v.prometheus.prometheusSpec).toMatchObject({ externalLabels: { cluster: "prod-platform" }, replicaExternalLabelName: "__replica__" });
    expect(v.prometheus.serviceAccount.annotations["eks.amazonaws.com/role-arn"]).toMatch(/^\$\{aws_iam_role\.ManagedPrometheus_PrometheusRole_/);
  });

  test("prod's Grafana reads the workspace through a SigV4 data source with its own role", () => {
    const g = kpsValues(prod).grafana;
    // Beside Tempo's (prod traces): Helm replaces lists, so both must be in the one list the release gets.
    expect(g.additionalDataSources).toEqual([
      expect.objectContaining({ type: "prometheus", url: expect.stringMatching(/prometheus_endpoint\}$/), jsonData: expect.objectContaining({ sigV4Auth: true, sigV4AuthType: "default", sigV4Region: "eu-west-1" }) }),
      expect.objectContaining({ type: "tempo" }),
    ]);
    expect(g["grafana.ini"].auth.sigv4_auth_enabled).toBe(true);
    expect(g.serviceAccount.annotations["eks.amazonaws.com/role-arn"]).toMatch(/^\$\{aws_iam_role\.ManagedPrometheus_GrafanaRole_/);
  });

  test.each(["dev", "staging"])("%s (off): no workspace, no remote write, and the cluster's SLO rules keep their alerts", (env) => {
    const stack = synthesizedStack(`${env}-observability`);
    expect(resources(stack, "aws_prometheus_workspace")).toEqual([]);
    expect(kpsValues(stack).prometheus.prometheusSpec.remoteWrite).toBeUndefined();
    expect(alertNames(sloRule(synthesizedStack(`${env}-observability-resources`)).spec.groups)).toContain("CheckoutApiAvailability");
  });
});

describe("Amazon Managed Prometheus files for review", () => {
  const out = synthesizedApp();

  test("prod's rule namespaces and alert manager definition are written as deployed, with the topics of prod's account", () => {
    const stack = synthesizedStack("prod-observability");
    const dir = path.join(out, "observability", "prod", "amp");
    for (const ns of resources(stack, "aws_prometheus_rule_group_namespace")) {
      expect(fs.readFileSync(path.join(dir, "rules", `${ns.name}.yaml`), "utf8")).toBe(ns.data);
    }
    const def = parse(fs.readFileSync(path.join(dir, "alert-manager-definition.yaml"), "utf8")) as { alertmanager_config: string };
    expect(def.alertmanager_config).toContain("topic_arn: arn:aws:sns:eu-west-1:333333333333:prod-platform-p0");
    expect(fs.existsSync(path.join(out, "observability", "dev", "amp"))).toBe(false);
  });
});

describe("Amazon Managed Prometheus at synth", () => {
  test("a routing AMP's alert manager would change stops generation, naming the route (before anything is written)", () => {
    const prod = loadEnvironments(["prod"])[0]!;
    const weekly = { ...prod, alerting: { ...prod.alerting!, tiers: { P4: { groupInterval: "7d", repeatInterval: "7d" } } } };
    const slos = compileEnvironmentSlos(prod, ENVIRONMENTS.map((e) => e.name)).compiled;
    expect(() => generateEnvironmentObservability(weekly, slos)).toThrow(/observability\.managedPrometheus:[\s\S]*alertmanager_config\.route\.routes\[\d+\]\.repeat_interval: got "7d"; allowed: at most 5d/);
  });
});
