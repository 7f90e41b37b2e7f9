import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { PrometheusAlertManagerDefinition } from "@cdktf/provider-aws/lib/prometheus-alert-manager-definition";
import { PrometheusRuleGroupNamespace } from "@cdktf/provider-aws/lib/prometheus-rule-group-namespace";
import { PrometheusWorkspace } from "@cdktf/provider-aws/lib/prometheus-workspace";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { KmsKey } from "../common/kms-key";
import { IrsaRole, type OidcIssuer } from "../common/irsa-role";
import { EncryptedTopic, type TopicSubscription } from "../common/encrypted-topic";
import { requireProps, throwIfProblems, type ValidationProblem } from "../common/validation";
import { isCloudWatchRetentionDays, CLOUDWATCH_RETENTION_DAYS } from "../../lib/aws/cloudwatch-logs";
import { isDnsLabel, isDnsSubdomain } from "../../lib/kubernetes/names";
import type { AlertRoutingConfig } from "../../lib/observability/alertmanager/model";
import type { AlertmanagerConfig } from "../../lib/observability/alertmanager/types";
import {
  ampAlertmanagerProblems, ampDefinitionSizeProblems, buildAmpAlertmanagerConfig, emitAmpAlertManagerDefinition, type AmpAlertmanagerOptions, type AmpTopic,
} from "../../lib/observability/alertmanager/amp";
import { AMP_SERVICE_PRINCIPAL, ampTopicName } from "../../lib/observability/managed-prometheus/limits";
import { ampRemoteWriteUrl } from "../../lib/observability/managed-prometheus/remote-write";
import { ampRuleNamespaceProblems, type AmpRuleNamespace } from "../../lib/observability/managed-prometheus/rule-namespaces";

/** What Grafana may do with the workspace: read, nothing else. */
export const AMP_QUERY_ACTIONS = ["aps:QueryMetrics", "aps:GetSeries", "aps:GetLabels", "aps:GetMetricMetadata"] as const;
/** What the in-cluster Prometheus may do with the workspace: write samples, nothing else. */
export const AMP_WRITE_ACTIONS = ["aps:RemoteWrite"] as const;

/** A Kubernetes service account. */
export interface ServiceAccountRef {
  readonly namespace: string;
  readonly name: string;
}

/** The workspace's alert manager: the environment's routing, sent to one encrypted SNS topic per tier. */
export interface ManagedPrometheusAlerting {
  /** The environment's validated routing (`alerting`), the same the in-cluster Alertmanager is generated from. */
  readonly routing: AlertRoutingConfig;
  /** How the routing is built (priority dialects, team namespaces), as for the in-cluster Alertmanager. @default {} */
  readonly options?: Omit<AmpAlertmanagerOptions, "region" | "topicArn">;
  /**
   * Subscriptions of each tier's topic (e-mail lists, an incident tool's HTTPS endpoint, phone numbers from Secrets
   * Manager). Every notification carries `priority`, `owner` and `channel` message attributes for filter policies.
   * @default - none: subscribe outside Terraform, or add them here
   */
  readonly subscriptions?: Partial<Record<AmpTopic, readonly TopicSubscription[]>>;
}

/** Props of {@link ManagedPrometheus}. */
export interface ManagedPrometheusProps {
  /** The workspace's alias and the prefix of its topics' and log group's names, e.g. `prod-platform`. */
  readonly alias: string;
  /** The workspace's region: signs the remote write, Grafana's queries and the alert manager's SNS requests. */
  readonly region: string;
  /** The cluster whose service accounts write to and read from the workspace. */
  readonly cluster: OidcIssuer;
  /** The in-cluster Prometheus's service account: its IRSA role may `aps:RemoteWrite` to this workspace only. */
  readonly prometheusServiceAccount: ServiceAccountRef;
  /**
   * Grafana's service account: its IRSA role may query this workspace only.
   * @default - no Grafana role
   */
  readonly grafanaServiceAccount?: ServiceAccountRef;
  /**
   * Days the workspace's rule-evaluation and alert manager logs are kept.
   * @default 365
   */
  readonly logRetentionDays?: number;
  /**
   * Rule group namespaces the workspace evaluates (`ampRuleNamespaces()` of the compiled SLOs).
   * @default []
   */
  readonly ruleNamespaces?: readonly AmpRuleNamespace[];
  /**
   * The workspace's alert manager.
   * @default - none: the workspace's alerts reach no one (record-only)
   */
  readonly alerting?: ManagedPrometheusAlerting;
  /**
   * Terraform `prevent_destroy` on the workspace, its key and its log group.
   * @default false
   */
  readonly preventDestroy?: boolean;
}

/**
 * An Amazon Managed Service for Prometheus workspace encrypted with its own customer-managed key, logging to a log
 * group encrypted with the same key, evaluating the given rule namespaces and paging through an alert manager
 * generated from the environment's routing (one encrypted SNS topic per tier, published to by AMP on behalf of this
 * workspace only), with the IRSA roles that write to it (the in-cluster Prometheus) and read from it (Grafana).
 * @see https://docs.aws.amazon.com/prometheus/latest/userguide/encryption-at-rest-Amazon-Service-Prometheus.html
 * @see https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-logging.html
 */
export class ManagedPrometheus extends Construct {
  public readonly key: KmsKey;
  public readonly logGroup: CloudwatchLogGroup;
  public readonly workspace: PrometheusWorkspace;
  public readonly workspaceArn: string;
  /** The workspace's Prometheus-compatible endpoint (ends in `/`): Grafana's data source URL. */
  public readonly prometheusEndpoint: string;
  /** Where the in-cluster Prometheus remote-writes. */
  public readonly remoteWriteUrl: string;
  public readonly logRetentionDays: number;
  public readonly prometheusRole: IrsaRole;
  public readonly grafanaRole?: IrsaRole;
  public readonly ruleNamespaces: Readonly<Record<string, PrometheusRuleGroupNamespace>>;
  /** The one key of every tier's topic; undefined without `alerting`. */
  public readonly topicsKey?: KmsKey;
  /** Each tier's topic (only the tiers the routing uses). */
  public readonly topics: Readonly<Partial<Record<AmpTopic, EncryptedTopic>>>;
  /** The alert manager's configuration, as generated (topic ARNs as Terraform references). */
  public readonly alertmanagerConfig?: AlertmanagerConfig;
  public readonly alertManagerDefinition?: PrometheusAlertManagerDefinition;

  constructor(scope: Construct, id: string, props: ManagedPrometheusProps) {
    super(scope, id);
    requireProps(this, props, { alias: "the workspace's alias", region: "the workspace's region", cluster: "the cluster's OIDC issuer", prometheusServiceAccount: "the in-cluster Prometheus's service account" });
    this.logRetentionDays = props.logRetentionDays ?? 365;
    throwIfProblems(this.node.path, validateManagedPrometheusProps(props));
    const lifecycle = props.preventDestroy ? { preventDestroy: true } : undefined;

    // Vended logs under /aws/vendedlogs/: CloudWatch Logs' resource policy for them has room for many groups.
    const logGroupName = `/aws/vendedlogs/prometheus/${props.alias}`;
    this.key = new KmsKey(this, "Key", {
      description: `Encrypts the Amazon Managed Prometheus workspace ${props.alias} and its logs`,
      cloudWatchLogGroupNames: [logGroupName],
      preventDestroy: props.preventDestroy,
    });
    this.logGroup = new CloudwatchLogGroup(this, "LogGroup", { name: logGroupName, retentionInDays: this.logRetentionDays, kmsKeyId: this.key.keyArn, lifecycle });
    this.workspace = new PrometheusWorkspace(this, "Workspace", {
      alias: props.alias,
      kmsKeyArn: this.key.keyArn,
      // AMP takes the group's ARN with the `:*` suffix of its log streams.
      loggingConfiguration: { logGroupArn: `${this.logGroup.arn}:*` },
      lifecycle,
    });
    this.workspaceArn = this.workspace.arn;
    this.prometheusEndpoint = this.workspace.prometheusEndpoint;
    this.remoteWriteUrl = ampRemoteWriteUrl(this.workspace.prometheusEndpoint);

    const rules: Record<string, PrometheusRuleGroupNamespace> = {};
    // Keyed by the namespace's name (its service): adding a service never moves another's address.
    for (const ns of props.ruleNamespaces ?? []) {
      rules[ns.name] = new PrometheusRuleGroupNamespace(this, `RuleNamespace-${ns.name}`, { name: ns.name, workspaceId: this.workspace.id, data: ns.data });
    }
    this.ruleNamespaces = rules;

    const topics: Partial<Record<AmpTopic, EncryptedTopic>> = {};
    if (props.alerting !== undefined) {
      const a = props.alerting;
      // Built once to learn which topics the routing uses, then with each used topic's ARN.
      const used = new Set<AmpTopic>();
      buildAmpAlertmanagerConfig(a.routing, { ...a.options, region: props.region, topicArn: (t) => (used.add(t), `arn:aws:sns:${props.region}:000000000000:${t}`) });
      // One key for all the tiers' topics (a key costs by the month; the topics have one publisher and one reader):
      // AMP may encrypt with it on behalf of this workspace only. Not the workspace's key, whose policy cannot name
      // the workspace that is created with it.
      const account = new DataAwsCallerIdentity(this, "Account");
      this.topicsKey = new KmsKey(this, "TopicsKey", {
        description: `Encrypts the alert topics of the Amazon Managed Prometheus workspace ${props.alias}`,
        preventDestroy: props.preventDestroy,
        extraStatements: [
          {
            sid: "AmpPublishesForThisWorkspace",
            effect: "Allow",
            principals: [{ type: "Service", identifiers: [AMP_SERVICE_PRINCIPAL] }],
            actions: ["kms:GenerateDataKey", "kms:Decrypt"],
            resources: ["*"],
            condition: [
              { test: "StringEquals", variable: "aws:SourceAccount", values: [account.accountId] },
              { test: "ArnLike", variable: "aws:SourceArn", values: [this.workspace.arn] },
            ],
          },
        ],
      });
      for (const t of [...used].sort()) {
        topics[t] = new EncryptedTopic(this, `Topic-${t}`, {
          name: ampTopicName(props.alias, t),
          description: `Notifications of tier ${t} from the Amazon Managed Prometheus workspace ${props.alias}`,
          kmsKeyArn: this.topicsKey.keyArn,
          // AMP publishes on behalf of this workspace only (aws:SourceArn): no other workspace of the account can.
          servicePublishers: [{ service: AMP_SERVICE_PRINCIPAL, sourceArns: [this.workspace.arn] }],
          subscriptions: a.subscriptions?.[t],
        });
      }
      const config = buildAmpAlertmanagerConfig(a.routing, { ...a.options, region: props.region, topicArn: (t) => topics[t]!.topicArn });
      const definition = emitAmpAlertManagerDefinition(config);
      throwIfProblems(this.node.path, [...ampAlertmanagerProblems(config, { at: "alerting: alertmanager_config" }), ...ampDefinitionSizeProblems(definition, "alerting: definition")]);
      this.alertmanagerConfig = config;
      this.alertManagerDefinition = new PrometheusAlertManagerDefinition(this, "AlertManagerDefinition", {
        workspaceId: this.workspace.id,
        definition,
        // AMP checks that it may publish to each topic when the definition is applied.
        dependsOn: Object.values(topics).map((t) => t.topic),
      });
    }
    this.topics = topics;

    const workspaceStatement = (sid: string, actions: readonly string[]) => ({ sid, effect: "Allow", actions: [...actions], resources: [this.workspace.arn] });
    this.prometheusRole = new IrsaRole(this, "PrometheusRole", {
      cluster: props.cluster,
      namespace: props.prometheusServiceAccount.namespace,
      serviceAccount: props.prometheusServiceAccount.name,
      statements: [workspaceStatement("RemoteWriteToWorkspace", AMP_WRITE_ACTIONS)],
    });
    if (props.grafanaServiceAccount !== undefined) {
      this.grafanaRole = new IrsaRole(this, "GrafanaRole", {
        cluster: props.cluster,
        namespace: props.grafanaServiceAccount.namespace,
        serviceAccount: props.grafanaServiceAccount.name,
        statements: [workspaceStatement("QueryWorkspace", AMP_QUERY_ACTIONS)],
      });
    }
  }
}

const ALIAS = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

/** Checks {@link ManagedPrometheusProps} without building anything (the alert manager is checked as it is generated). */
export function validateManagedPrometheusProps(props: ManagedPrometheusProps): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const add = (path: string, value: unknown, allowed: string) => problems.push({ path, value, allowed });
  if (!ALIAS.test(props.alias)) add("alias", props.alias, "1–100 letters, digits, '-' or '_', starting with a letter or digit (it names the topics and the log group too)");
  const days = props.logRetentionDays ?? 365;
  if (!isCloudWatchRetentionDays(days)) add("logRetentionDays", days, `one of the CloudWatch Logs retention periods: ${CLOUDWATCH_RETENTION_DAYS.join(", ")} days`);
  const accounts: Array<[string, ServiceAccountRef | undefined]> = [["prometheusServiceAccount", props.prometheusServiceAccount], ["grafanaServiceAccount", props.grafanaServiceAccount]];
  for (const [path, sa] of accounts) {
    if (sa === undefined) continue;
    if (!isDnsLabel(sa.namespace)) add(`${path}.namespace`, sa.namespace, "a Kubernetes namespace name (RFC 1123 label)");
    if (!isDnsSubdomain(sa.name)) add(`${path}.name`, sa.name, "a Kubernetes service account name (RFC 1123 subdomain)");
  }
  const names = new Set<string>();
  for (const ns of props.ruleNamespaces ?? []) {
    if (names.has(ns.name)) add(`ruleNamespaces["${ns.name}"]`, ns.name, "a namespace name no other namespace uses");
    names.add(ns.name);
  }
  problems.push(...ampRuleNamespaceProblems(props.ruleNamespaces ?? []));
  return problems;
}
