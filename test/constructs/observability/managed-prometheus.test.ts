import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { parse } from "yaml";
import { ManagedPrometheus, validateManagedPrometheusProps, type ManagedPrometheusProps } from "../../../constructs/observability/managed-prometheus";
import { loadEnvironments } from "../../../environments";
import { alertmanagerBuildOptions } from "../../../stacks/observability-artifacts";
import { AMP_TOPICS } from "../../../lib/observability/alertmanager";

type Statement = { sid: string; effect: string; actions: string[]; resources?: string[]; principals?: Array<{ type: string; identifiers: string[] }>; condition?: Array<{ test: string; variable: string; values: string[] }> };
const prod = loadEnvironments(["prod"])[0]!;
const base: ManagedPrometheusProps = {
  alias: "prod-platform",
  region: "eu-west-1",
  cluster: { oidcProviderArn: "arn:aws:iam::333333333333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC", oidcIssuerUrl: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC" },
  prometheusServiceAccount: { namespace: "monitoring", name: "kube-prometheus-stack-prometheus" },
  grafanaServiceAccount: { namespace: "monitoring", name: "kube-prometheus-stack-grafana" },
  logRetentionDays: 90,
  ruleNamespaces: [{ name: "slo-checkout-api", data: "groups: []\n", ruleCount: 0 }],
  alerting: { routing: prod.alerting!, options: alertmanagerBuildOptions(prod) },
};

function synth(props: ManagedPrometheusProps = base) {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const amp = new ManagedPrometheus(stack, "Amp", props);
  const parsed = JSON.parse(Testing.synth(stack));
  const docs = parsed.data.aws_iam_policy_document as Record<string, { statement: Statement[] }>;
  const doc = (prefix: string) => Object.entries(docs).find(([k]) => k.startsWith(prefix))?.[1].statement ?? [];
  const one = (type: string) => Object.values(parsed.resource[type] ?? {})[0] as Record<string, any>;
  return { amp, parsed, doc, one };
}

describe("ManagedPrometheus", () => {
  const { amp, parsed, doc, one } = synth();

  test("the workspace is encrypted with its own key and logs to a group that key encrypts, kept as configured", () => {
    const ws = one("aws_prometheus_workspace");
    expect(ws.alias).toBe("prod-platform");
    expect(ws.kms_key_arn).toMatch(/^\$\{aws_kms_key\.Amp_Key_/);
    expect(ws.logging_configuration.log_group_arn).toMatch(/^\$\{aws_cloudwatch_log_group\.Amp_LogGroup_[^}]+\.arn\}:\*$/);
    const lg = one("aws_cloudwatch_log_group");
    expect(lg).toMatchObject({ name: "/aws/vendedlogs/prometheus/prod-platform", retention_in_days: 90 });
    expect(lg.kms_key_id).toBe(ws.kms_key_arn);
    const logs = doc("Amp_Key_Policy").find((s) => s.sid === "CloudWatchLogsOfThisAccount")!;
    expect(logs.condition![0]!.values[0]).toMatch(/:log-group:\/aws\/vendedlogs\/prometheus\/prod-platform$/);
  });

  test("Prometheus may only remote-write, Grafana only query, each on this workspace alone", () => {
    const wsArn = "${aws_prometheus_workspace.Amp_Workspace_" ;
    const write = doc("Amp_PrometheusRole_PolicyDocument");
    expect(write).toEqual([expect.objectContaining({ actions: ["aps:RemoteWrite"], resources: [expect.stringContaining(wsArn)] })]);
    const query = doc("Amp_GrafanaRole_PolicyDocument");
    expect(query).toEqual([expect.objectContaining({ actions: ["aps:QueryMetrics", "aps:GetSeries", "aps:GetLabels", "aps:GetMetricMetadata"], resources: [expect.stringContaining(wsArn)] })]);
    const trust = doc("Amp_PrometheusRole_Trust")[0]!;
    expect(trust.condition!.find((c) => c.variable.endsWith(":sub"))!.values).toEqual(["system:serviceaccount:monitoring:kube-prometheus-stack-prometheus"]);
  });

  test("one encrypted topic per tier, which AMP may publish to on behalf of this workspace only", () => {
    expect(Object.keys(amp.topics).sort()).toEqual([...AMP_TOPICS].sort());
    const topics = Object.values(parsed.resource.aws_sns_topic) as Array<{ name: string; kms_master_key_id: string }>;
    expect(topics.map((t) => t.name).sort()).toEqual(["prod-platform-escalation", "prod-platform-p0", "prod-platform-p1", "prod-platform-p2", "prod-platform-p4"]);
    for (const t of topics) expect(t.kms_master_key_id).toMatch(/^\$\{aws_kms_key\./);
    const publish = doc("Amp_Topic-P0_Policy").find((s) => s.sid === "PublishAps")!;
    expect(publish.principals).toEqual([{ type: "Service", identifiers: ["aps.amazonaws.com"] }]);
    expect(publish.condition!.find((c) => c.variable === "aws:SourceArn")!.values).toEqual([expect.stringMatching(/^\$\{aws_prometheus_workspace\.Amp_Workspace_[^}]+\.arn\}$/)]);
  });

  test("the alert manager definition is AMP's file, publishing to the topics, after they exist", () => {
    const def = one("aws_prometheus_alert_manager_definition");
    const file = parse(def.definition) as { alertmanager_config: string; template_files: Record<string, string> };
    const config = parse(file.alertmanager_config) as { receivers: Array<{ name: string; sns_configs?: Array<{ topic_arn: string; sigv4: { region: string } }> }> };
    const p0 = config.receivers.find((r) => r.name === "sns-p0-platform-page")!.sns_configs![0]!;
    expect(p0.topic_arn).toMatch(/^\$\{aws_sns_topic\.Amp_Topic-P0_Topic_[^}]+\.arn\}$/);
    expect(p0.sigv4).toEqual({ region: "eu-west-1" });
    expect(def.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_sns_topic\.Amp_Topic-P0_Topic_/)]));
    expect(one("aws_prometheus_rule_group_namespace")).toMatchObject({ name: "slo-checkout-api", data: "groups: []\n" });
  });

  test("without alerting, no topics and no definition", () => {
    const { parsed: p } = synth({ ...base, alerting: undefined });
    expect(p.resource.aws_sns_topic).toBeUndefined();
    expect(p.resource.aws_prometheus_alert_manager_definition).toBeUndefined();
  });

  test.each([
    ["the alias has a space", { alias: "prod platform" }, "alias"],
    ["the log retention is not a CloudWatch period", { logRetentionDays: 100 }, "logRetentionDays"],
    ["the service account is not a Kubernetes name", { prometheusServiceAccount: { namespace: "monitoring", name: "Prometheus!" } }, "prometheusServiceAccount.name"],
    ["two rule namespaces share a name", { ruleNamespaces: [{ name: "a", data: "", ruleCount: 0 }, { name: "a", data: "", ruleCount: 0 }] }, 'ruleNamespaces["a"]'],
  ])("fails when %s", (_name, change, path) => {
    expect(validateManagedPrometheusProps({ ...base, ...change }).map((p) => p.path)).toContain(path);
    expect(() => synth({ ...base, ...change })).toThrow(path);
  });

  test("fails at synth when the routing breaks AMP's five-day limit, naming the route", () => {
    const routing = { ...prod.alerting!, tiers: { P4: { groupInterval: "7d", repeatInterval: "7d" } } };
    expect(() => synth({ ...base, alerting: { routing, options: alertmanagerBuildOptions(prod) } })).toThrow(/alertmanager_config\.route\.routes\[\d+\]\.repeat_interval.*at most 5d/);
  });
});
