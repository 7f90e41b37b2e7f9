import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import type { ICluster } from "../../cluster/cluster-types";
import type { IClusterAccess } from "../../cluster/cluster-access";
import { throwIfProblems, ValidationProblem, requireProps } from "../../common/validation";
import { ClusterAutoscaler, ClusterAutoscalerProps } from "../cluster-autoscaler/cluster-autoscaler";
import { Karpenter, KarpenterProps } from "../karpenter/karpenter";

/** The node autoscalers an environment can choose from. */
export type NodeAutoscalerKind = "karpenter" | "cluster-autoscaler";
export const NODE_AUTOSCALER_KINDS: readonly NodeAutoscalerKind[] = ["karpenter", "cluster-autoscaler"];

/** Props of {@link NodeAutoscaling}. */
export interface NodeAutoscalingProps {
  readonly cluster: ICluster;
  /**
   * Which autoscaler the environment runs. Exactly one: both would fight over the same pending pods.
   * Environments keep this as data (`EnvironmentConfig`), never as a condition in a stack.
   */
  readonly autoscaler: NodeAutoscalerKind;
  /**
   * Settings of Karpenter; required (for `nodeRoleArn`) when `autoscaler` is `karpenter`.
   * @default - none; validation fails when `autoscaler` is `karpenter`
   */
  readonly karpenter?: Omit<KarpenterProps, "cluster" | "dependsOn" | "access">;
  /**
   * Settings of the Cluster Autoscaler, when `autoscaler` is `cluster-autoscaler`.
   * @default - the ClusterAutoscaler defaults
   */
  readonly clusterAutoscaler?: Omit<ClusterAutoscalerProps, "cluster" | "dependsOn" | "access">;
  /**
   * What the chosen autoscaler waits for (e.g. the cluster's system node group).
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
  /**
   * How Terraform reaches the cluster (see `ClusterAccess`).
   * @default - the stack's default Helm provider
   */
  readonly access?: IClusterAccess;
}

/**
 * Installs the one node autoscaler an environment chose. Karpenter for new environments (faster, bin-packs
 * across instance types, handles spot interruptions); the Cluster Autoscaler where only managed node groups
 * are allowed. Construct ids are `Karpenter` or `ClusterAutoscaler` under this one, so switching is a
 * visible destroy-and-create in the plan.
 */
export class NodeAutoscaling extends Construct implements ITerraformDependable {
  public readonly autoscaler: NodeAutoscalerKind;
  public readonly karpenter?: Karpenter;
  public readonly clusterAutoscaler?: ClusterAutoscaler;

  constructor(scope: Construct, id: string, props: NodeAutoscalingProps) {
    super(scope, id);
    requireProps(this, props, { cluster: "an ICluster (EksCluster or EksCluster.fromClusterAttributes())", autoscaler: "karpenter or cluster-autoscaler" });
    this.autoscaler = props.autoscaler;
    throwIfProblems(this.node.path, validateNodeAutoscalingProps(props));
    const common = { cluster: props.cluster, dependsOn: props.dependsOn, access: props.access };
    if (props.autoscaler === "karpenter") {
      this.karpenter = new Karpenter(this, "Karpenter", { ...props.karpenter!, ...common });
    } else {
      this.clusterAutoscaler = new ClusterAutoscaler(this, "ClusterAutoscaler", { ...props.clusterAutoscaler, ...common });
    }
  }

  /** The chosen autoscaler's release, so node-dependent add-ons can wait for it. */
  public get fqn(): string {
    return (this.karpenter ?? this.clusterAutoscaler)!.fqn;
  }
}

/** Checks {@link NodeAutoscalingProps} without building anything. */
export function validateNodeAutoscalingProps(props: NodeAutoscalingProps): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  if (!NODE_AUTOSCALER_KINDS.includes(props.autoscaler)) {
    problems.push({ path: "autoscaler", value: props.autoscaler, allowed: NODE_AUTOSCALER_KINDS.join(", ") });
    return problems;
  }
  if (props.autoscaler === "karpenter" && !props.karpenter?.nodeRoleArn) {
    problems.push({ path: "karpenter.nodeRoleArn", value: props.karpenter?.nodeRoleArn, allowed: "the IAM role ARN of the nodes Karpenter launches" });
  }
  if (props.autoscaler === "karpenter" && props.clusterAutoscaler !== undefined) {
    problems.push({ path: "clusterAutoscaler", value: "(settings)", allowed: "nothing when autoscaler is karpenter (they would never be used)" });
  }
  if (props.autoscaler === "cluster-autoscaler" && props.karpenter !== undefined) {
    problems.push({ path: "karpenter", value: "(settings)", allowed: "nothing when autoscaler is cluster-autoscaler (they would never be used)" });
  }
  return problems;
}
