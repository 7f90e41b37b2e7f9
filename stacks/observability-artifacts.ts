import * as fs from "node:fs";
import { FALCO_PRIORITY_DIALECT } from "../lib/security/falco/priorities";
import * as path from "node:path";
import type { EnvironmentConfig } from "../lib/config/environment-schema";
import { buildAlertmanagerConfig, emitAlertmanagerYaml, p0SmsTopicName, snsTopicArn, type AlertmanagerBuildOptions, type SmsTopics } from "../lib/observability/alertmanager";
import { parseArn } from "../lib/aws/arns";
import { teamNamespacesByTeam } from "../lib/config/security/namespaces";
import { environmentDashboards, writeDashboards, type GeneratedDashboard } from "../lib/observability/dashboards";
import type { CompileResult } from "../lib/slo/compile";
import type { AlertmanagerConfig } from "../lib/observability/alertmanager/types";
import { packageRoot } from "../lib/package-root";
import { environmentRunbooks, type GeneratedRunbook } from "../lib/observability/runbooks";
import { ampAlertmanagerProblems, buildAmpAlertmanagerConfig, emitAmpAlertManagerDefinition } from "../lib/observability/alertmanager/amp";
import { AlertRoutingError } from "../lib/observability/alertmanager/validate";
import { formatProblems } from "../lib/problems";
import { ampRuleNamespaces, type AmpRuleNamespace } from "../lib/observability/managed-prometheus/rule-namespaces";
import { ampTopicName } from "../lib/observability/managed-prometheus/limits";

/** One environment's observability files, generated before anything is written. */
export interface EnvironmentObservability {
  readonly environment: string;
  /** Alertmanager configuration. @default - none: the environment has no `alerting` section */
  readonly alertmanagerYaml?: string;
  /**
   * The same configuration as an object, for the observability layer's release.
   * @default - none: the environment has no `alerting` section
   */
  readonly alertmanagerConfig?: AlertmanagerConfig;
  /** The SLO dashboard of each service and the golden-signals overview. */
  readonly dashboards: readonly GeneratedDashboard[];
  /** One Markdown runbook per SLO alert, linked from the alerts' `runbook_url`. */
  readonly runbooks: readonly GeneratedRunbook[];
  /**
   * What the Amazon Managed Prometheus workspace evaluates and how it pages, as deployed (the definition's topic ARNs
   * spelled from the environment's account and region), for review and for promtool and amtool in CI.
   * @default - none: `observability.managedPrometheus` is off
   */
  readonly amp?: { readonly ruleNamespaces: readonly AmpRuleNamespace[]; readonly alertManagerDefinition?: string };
}

/** How the environment's routing is built: Falco's priority names, and each team's namespaces from its one definition. */
export function alertmanagerBuildOptions(config: EnvironmentConfig): AlertmanagerBuildOptions {
  return {
    scope: `environment "${config.name}": alerting`,
    priorityDialects: [FALCO_PRIORITY_DIALECT],
    teamNamespaces: teamNamespacesByTeam(config.security.namespaces),
    ...(smsTopicsOf(config) !== undefined ? { smsTopics: smsTopicsOf(config) } : {}),
  };
}

/**
 * The SMS topics of the environment's routing, by the names the monitoring add-on gives them
 * ({@link p0SmsTopicName}) in the environment's account and region: known before they exist, so the generated
 * Alertmanager configuration is complete at synth. Undefined when nothing pages by SMS.
 */
export function smsTopicsOf(config: EnvironmentConfig): SmsTopics | undefined {
  const a = config.alerting;
  const teams = Object.entries(a?.teams ?? {}).filter(([, t]) => t.sms !== undefined).map(([team]) => team);
  if (a?.sms === undefined && teams.length === 0) return undefined;
  const arn = (name: string) => snsTopicArn({ partition: parseArn(config.iam.deployRoleArn)?.partition ?? "aws", region: config.region, account: config.account, name });
  return {
    region: config.region,
    ...(a?.sms !== undefined ? { topicArn: arn(p0SmsTopicName(config.name)) } : {}),
    ...(teams.length > 0 ? { teamTopicArns: Object.fromEntries(teams.map((t) => [t, arn(p0SmsTopicName(config.name, t))])) } : {}),
  };
}

/**
 * Generates the environment's Alertmanager configuration and dashboards from its configuration and its
 * compiled SLOs. The configuration is `validateEnvironments()`'s result, whose alert routing was checked there;
 * it is not checked again.
 */
export function generateEnvironmentObservability(config: EnvironmentConfig, slos: CompileResult): EnvironmentObservability {
  const alertmanagerConfig = config.alerting === undefined ? undefined : buildAlertmanagerConfig(config.alerting, alertmanagerBuildOptions(config));
  const dashboards = environmentDashboards(slos.slos, { environment: config.name });
  const sloDashboard = (service: string) => dashboards.find((d) => d.name === `slo-${service}`);
  return {
    environment: config.name,
    ...(config.observability.managedPrometheus?.enabled === true ? { amp: ampArtifacts(config, slos) } : {}),
    alertmanagerYaml: alertmanagerConfig === undefined ? undefined : emitAlertmanagerYaml(alertmanagerConfig),
    alertmanagerConfig,
    dashboards,
    runbooks: environmentRunbooks(slos, {
      environment: config.name,
      escalationBySms: config.alerting?.sms !== undefined,
      sourceRoot: packageRoot(),
      dashboardOf: (service) => {
        const d = sloDashboard(service);
        return d === undefined ? undefined : { uid: d.dashboard.uid, title: d.dashboard.title, file: `${d.name}.json` };
      },
    }),
  };
}

/**
 * The workspace's rule namespaces and alert manager definition. The definition is checked against AMP's limits here,
 * with the topics' ARNs the stack will create (`<cluster>-<tier>` in the environment's account), so a routing AMP would
 * refuse stops the synth before anything is written.
 * @throws AlertRoutingError naming each field AMP refuses
 */
function ampArtifacts(config: EnvironmentConfig, slos: CompileResult): NonNullable<EnvironmentObservability["amp"]> {
  const ruleNamespaces = ampRuleNamespaces(slos);
  if (config.alerting === undefined) return { ruleNamespaces };
  const partition = config.region.startsWith("cn-") ? "aws-cn" : config.region.includes("-gov-") ? "aws-us-gov" : "aws";
  const amp = buildAmpAlertmanagerConfig(config.alerting, {
    ...alertmanagerBuildOptions(config),
    region: config.region,
    topicArn: (t) => `arn:${partition}:sns:${config.region}:${config.account}:${ampTopicName(config.cluster.name, t)}`,
  });
  const scope = `environment "${config.name}": observability.managedPrometheus`;
  const problems = ampAlertmanagerProblems(amp, { accountId: config.account });
  if (problems.length > 0) throw new AlertRoutingError(scope, formatProblems("Amazon Managed Prometheus alert manager", problems));
  return { ruleNamespaces, alertManagerDefinition: emitAmpAlertManagerDefinition(amp) };
}

/**
 * Writes `<outdir>/observability/<env>/alertmanager.yaml` and `dashboards/<name>.json`, for review and for
 * the cluster layer that deploys them (Alertmanager secret, Grafana dashboard ConfigMaps), and the alerts'
 * runbooks to `<outdir>/runbooks/<env>/<service>/<slo>-<page|ticket>.md`; with Amazon Managed Prometheus on, its rule
 * namespaces to `amp/rules/<namespace>.yaml` and its alert manager definition to `amp/alert-manager-definition.yaml`.
 */
export function writeEnvironmentObservability(outdir: string, o: EnvironmentObservability): void {
  const dir = path.join(outdir, "observability", o.environment);
  fs.mkdirSync(dir, { recursive: true });
  if (o.alertmanagerYaml !== undefined) fs.writeFileSync(path.join(dir, "alertmanager.yaml"), o.alertmanagerYaml);
  writeDashboards(path.join(dir, "dashboards"), o.dashboards);
  if (o.amp !== undefined) {
    fs.mkdirSync(path.join(dir, "amp", "rules"), { recursive: true });
    for (const ns of o.amp.ruleNamespaces) fs.writeFileSync(path.join(dir, "amp", "rules", `${ns.name}.yaml`), ns.data);
    if (o.amp.alertManagerDefinition !== undefined) fs.writeFileSync(path.join(dir, "amp", "alert-manager-definition.yaml"), o.amp.alertManagerDefinition);
  }
  const runbooks = path.join(outdir, "runbooks", o.environment);
  for (const r of o.runbooks) {
    fs.mkdirSync(path.dirname(path.join(runbooks, r.path)), { recursive: true });
    fs.writeFileSync(path.join(runbooks, r.path), r.markdown);
  }
}

/** What the cluster layers take from the generated files: the Alertmanager configuration and dashboards by name. */
export function observabilityArtifacts(o: EnvironmentObservability): { alertmanagerConfig?: Readonly<Record<string, unknown>>; dashboards: Record<string, string> } {
  return {
    alertmanagerConfig: o.alertmanagerConfig as unknown as Readonly<Record<string, unknown>> | undefined,
    dashboards: Object.fromEntries(o.dashboards.map((d) => [d.name, JSON.stringify(d.dashboard)])),
  };
}
