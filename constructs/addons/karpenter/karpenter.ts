import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { Ec2Tag } from "@cdktf/provider-aws/lib/ec2-tag";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { HelmAddon, HelmAddonProps, HelmChartDefaults, HelmReleaseOptions } from "../helm-addon";
import { isUnresolved, throwIfProblems, ValidationProblem, requireProps } from "../../common/validation";
import { karpenterControllerStatements } from "./karpenter-policy";
import { ContainerResources, SystemNodePlacement } from "../addon-types";
import { arnContext } from "../../common/cluster-arn";
import { resolvePlacement, validateSystemNodePlacement } from "../private/placement";
import { workloadValues } from "../private/workload-values";
import { IAM_ROLE_ARN, IAM_ROLE_ARN_RULE } from "../../../lib/aws/iam";
import { resolveWorkloadProfile, validateWorkloadProfile, WorkloadProfile } from "../../../lib/kubernetes/workload-profile";

/**
 * The Karpenter controller chart from the public ECR OCI registry (chart and app 1.14.1).
 * Its CRDs ship in the chart's `crds/` folder, so Helm installs them on first install only: upgrade them
 * with the `karpenter-crd` chart when moving to a release that changes them.
 * @see https://karpenter.sh/docs/upgrading/upgrade-guide/
 */
export const KARPENTER_DEFAULTS: HelmChartDefaults = {
  chart: "karpenter",
  repository: "oci://public.ecr.aws/karpenter",
  version: "1.14.1",
  // kube-system, as the Karpenter guide recommends: its API Priority and Fairness flow schemas cover it there.
  namespace: "kube-system",
  releaseName: "karpenter",
  crds: {
    "karpenter.sh/v1/NodePool": "karpenter.sh/nodepool_v1.json",
    "karpenter.k8s.aws/v1/EC2NodeClass": "karpenter.k8s.aws/ec2nodeclass_v1.json",
  },
};

/** The service account the chart creates (from the release name), which the IRSA role trusts. */
export const KARPENTER_SERVICE_ACCOUNT = "karpenter";

/** The controller's size when the caller gives none: the Karpenter guide's, no CPU limit. */
export const KARPENTER_DEFAULT_RESOURCES: ContainerResources = { requests: { cpu: "1", memory: "1Gi" }, limits: { memory: "1Gi" } };

/** The EventBridge events Karpenter reacts to before AWS takes a node away. */
export const KARPENTER_INTERRUPTION_EVENTS: ReadonlyArray<{ readonly id: string; readonly source: string; readonly detailType: string }> = [
  { id: "HealthEvent", source: "aws.health", detailType: "AWS Health Event" },
  { id: "SpotInterruption", source: "aws.ec2", detailType: "EC2 Spot Instance Interruption Warning" },
  { id: "Rebalance", source: "aws.ec2", detailType: "EC2 Instance Rebalance Recommendation" },
  { id: "InstanceStateChange", source: "aws.ec2", detailType: "EC2 Instance State-change Notification" },
  { id: "CapacityReservationInterruption", source: "aws.ec2", detailType: "EC2 Capacity Reservation Instance Interruption Warning" },
];

/** Props of {@link Karpenter}. */
export interface KarpenterProps extends HelmAddonProps, HelmReleaseOptions {
  /**
   * Role of the nodes Karpenter launches (EC2 trust, worker/CNI/ECR/SSM policies). It is the only role the
   * controller may pass, and it gets an `EC2_LINUX` access entry so its nodes can join in API auth mode.
   */
  readonly nodeRoleArn: string;
  /**
   * Create the `EC2_LINUX` access entry for `nodeRoleArn`. Turn it off when `nodeRoleArn` is a managed node group's
   * role: EKS already made an entry for that role, and a second one fails with ResourceInUseException.
   * @default true
   */
  readonly createNodeAccessEntry?: boolean;
  /**
   * Tag the cluster security group `karpenter.sh/discovery: <clusterName>`, so an EC2NodeClass can select it and
   * the controller policy (which launches only into tagged subnets and security groups) allows it.
   * @default true
   */
  readonly tagClusterSecurityGroup?: boolean;
  /**
   * Handle spot interruptions, rebalance recommendations, state changes and health events through an SQS queue
   * (SSE on) fed by EventBridge, so Karpenter drains a node before AWS reclaims it.
   * @default true
   */
  readonly interruptionHandling?: boolean;
  /**
   * Name of the interruption queue.
   * @default - `<clusterName>-karpenter`
   */
  readonly interruptionQueueName?: string;
  /**
   * Keep the controller on the system (on-demand, managed) node group, never on capacity it manages.
   * @default - the `eks.amazonaws.com/capacityType: ON_DEMAND` label and the `CriticalAddonsOnly` toleration
   */
  readonly systemNodePlacement?: SystemNodePlacement;
  /**
   * Customer-managed KMS key of node volumes (e.g. `EksCluster.volumeKmsKeyArn`): the controller gets the grants EC2
   * needs to launch nodes whose volumes the EC2NodeClasses encrypt with it.
   * @default - no KMS permissions (node volumes use the account's default EBS key)
   */
  readonly volumeKmsKeyArn?: string;
  /**
   * Controller replicas (leader-elected; the chart adds a PodDisruptionBudget and one pod per node).
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Controller container resources.
   * @default { requests: { cpu: "1", memory: "1Gi" }, limits: { memory: "1Gi" } } (the Karpenter guide's sizing, no CPU limit)
   */
  readonly resources?: ContainerResources;
}

/**
 * Karpenter: the controller (Helm), its least-privilege IRSA role, the spot-interruption queue and rules, and
 * the access entry that lets its nodes join. Subnets and security groups for nodes must carry
 * `karpenter.sh/discovery: <clusterName>`: the controller may launch into nothing else.
 * NodePools and EC2NodeClasses are workload policy and belong to a later layer (they need the CRDs first).
 * @see https://karpenter.sh/docs/getting-started/getting-started-with-karpenter/
 */
export class Karpenter extends Construct implements ITerraformDependable {
  public readonly addon: HelmAddon;
  public readonly interruptionQueue?: SqsQueue;
  public readonly nodeAccessEntry?: EksAccessEntry;
  public readonly replicas: number;
  public readonly nodeLabels: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: KarpenterProps) {
    super(scope, id);
    requireProps(this, props, { cluster: "an ICluster (EksCluster or EksCluster.fromClusterAttributes())", nodeRoleArn: "the IAM role ARN of the nodes Karpenter launches" });
    this.replicas = props.replicas ?? 2;
    const placement = resolvePlacement(props.systemNodePlacement);
    this.nodeLabels = placement.nodeLabels;
    throwIfProblems(this.node.path, validateKarpenterProps(props));
    const profile = resolveWorkloadProfile({ ...karpenterProfile(props), placement });
    const { cluster } = props;

    if (props.interruptionHandling ?? true) {
      this.interruptionQueue = this.interruptionQueueFor(props);
    }
    if (props.createNodeAccessEntry ?? true) {
      this.nodeAccessEntry = new EksAccessEntry(this, "NodeAccessEntry", {
        clusterName: cluster.clusterName,
        principalArn: props.nodeRoleArn,
        type: "EC2_LINUX",
      });
    }

    if (props.tagClusterSecurityGroup ?? true) {
      new Ec2Tag(this, "ClusterSecurityGroupDiscoveryTag", {
        resourceId: cluster.clusterSecurityGroupId,
        key: "karpenter.sh/discovery",
        value: cluster.clusterName,
      });
    }

    const statements = karpenterControllerStatements({
      ...arnContext(cluster.clusterArn),
      clusterName: cluster.clusterName,
      clusterArn: cluster.clusterArn,
      nodeRoleArn: props.nodeRoleArn,
      interruptionQueueArn: this.interruptionQueue?.arn,
      volumeKmsKeyArn: props.volumeKmsKeyArn,
    });

    this.addon = new HelmAddon(this, "Helm", {
      ...props,
      defaults: KARPENTER_DEFAULTS,
      irsa: {
        serviceAccountName: KARPENTER_SERVICE_ACCOUNT,
        namePath: ["serviceAccount", "name"],
        annotationsPath: ["serviceAccount", "annotations"],
        statements,
      },
      chartValues: {
        settings: {
          clusterName: cluster.clusterName,
          clusterEndpoint: cluster.clusterEndpoint,
          interruptionQueue: this.interruptionQueue?.name ?? "",
        },
        // The pod context is the profile's (65532, the image's user); the chart writes the controller container's own
        // context (non-root, read-only, ALL dropped, no escalation) with no value to set it. The chart makes its own
        // disruption budget (maxUnavailable 1) and zone spread.
        ...workloadValues(profile, {
          replicas: ["replicas"],
          resources: ["controller", "resources"],
          podSecurityContext: { path: ["podSecurityContext"] },
          // Helm replaces lists, so the chart's own "not on a Karpenter node" expression is repeated here.
          affinity: { path: ["affinity"], keep: [{ key: "karpenter.sh/nodepool", operator: "DoesNotExist" }] },
          tolerations: ["tolerations"],
        }),
      },
      // Nodes it launches must be able to join before the controller starts launching them.
      dependsOn: [...(props.dependsOn ?? []), ...(this.nodeAccessEntry ? [this.nodeAccessEntry] : [])],
    });
  }

  /** The release's address, so other add-ons (e.g. NodePools) can depend on this one. */
  /** The CRDs its chart installs, for the custom resources that name this add-on as their installer. */
  public get crds(): Readonly<Record<string, string>> {
    return this.addon.crds;
  }

  public get fqn(): string {
    return this.addon.fqn;
  }

  private interruptionQueueFor(props: KarpenterProps): SqsQueue {
    const queue = new SqsQueue(this, "InterruptionQueue", {
      name: props.interruptionQueueName ?? `${props.cluster.clusterName}-karpenter`,
      // Interruption warnings are useless after two minutes; five keeps the queue from piling up.
      messageRetentionSeconds: 300,
      sqsManagedSseEnabled: true,
    });
    const rules = KARPENTER_INTERRUPTION_EVENTS.map((event) => {
      const rule = new CloudwatchEventRule(this, `${event.id}Rule`, {
        description: `Karpenter interruption handling of ${props.cluster.clusterName}: ${event.detailType}`,
        eventPattern: JSON.stringify({ source: [event.source], "detail-type": [event.detailType] }),
      });
      new CloudwatchEventTarget(this, `${event.id}Target`, { rule: rule.name, arn: queue.arn, targetId: "KarpenterInterruptionQueue" });
      return rule;
    });
    const policy = new DataAwsIamPolicyDocument(this, "InterruptionQueuePolicyDocument", {
      statement: [
        {
          sid: "EventBridgeRulesOfThisClusterOnly",
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }],
          actions: ["sqs:SendMessage"],
          resources: [queue.arn],
          condition: [{ test: "ArnEquals", variable: "aws:SourceArn", values: rules.map((r) => r.arn) }],
        },
        {
          // A Deny guard, not a grant: no principal may use the queue without TLS.
          sid: "DenyInsecureTransport",
          effect: "Deny",
          principals: [{ type: "AWS", identifiers: ["*"] }],
          actions: ["sqs:*"],
          resources: [queue.arn],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
      ],
    });
    new SqsQueuePolicy(this, "InterruptionQueuePolicy", { queueUrl: queue.url, policy: policy.json });
    return queue;
  }
}

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;

/** Checks {@link KarpenterProps} without building anything (the release is checked by {@link HelmAddon}). */
export function validateKarpenterProps(props: KarpenterProps): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  if (!isUnresolved(props.nodeRoleArn) && !IAM_ROLE_ARN.test(props.nodeRoleArn ?? "")) {
    problems.push({ path: "nodeRoleArn", value: props.nodeRoleArn, allowed: IAM_ROLE_ARN_RULE });
  }
  const queueName = props.interruptionQueueName;
  if (queueName !== undefined && !isUnresolved(queueName) && !QUEUE_NAME.test(queueName)) {
    problems.push({ path: "interruptionQueueName", value: queueName, allowed: "1–80 letters, digits, '-' or '_'" });
  }
  problems.push(...validateWorkloadProfile("", karpenterProfile(props), "the controller's pods"));
  problems.push(...validateSystemNodePlacement(props.systemNodePlacement));
  return problems;
}

/** The controller's workload profile from the props (placement is resolved separately, from `systemNodePlacement`). */
function karpenterProfile(props: KarpenterProps): WorkloadProfile {
  return { replicas: props.replicas ?? 2, resources: props.resources ?? KARPENTER_DEFAULT_RESOURCES, runAs: { user: 65532, group: 65532 } };
}
