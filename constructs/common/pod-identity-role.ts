import { Construct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { isUnresolved, requireProps, throwIfProblems, ValidationProblem } from "./validation";
import { isDnsLabel, isDnsSubdomain } from "../../lib/kubernetes/names";
import { EKS_CLUSTER_ARN } from "../../lib/aws/arns";

/** Props of {@link PodIdentityRole}. */
export interface PodIdentityRoleProps {
  /** ARN of the cluster whose Pod Identity agent may hand out the role. */
  readonly clusterArn: string;
  /** Namespace of the one service account allowed. */
  readonly namespace: string;
  /** The one service account allowed. */
  readonly serviceAccount: string;
}

/**
 * An IAM role for EKS Pod Identity, bound to one service account of one cluster: the trust admits
 * `pods.eks.amazonaws.com` only for this account and cluster (`aws:SourceAccount`, `aws:SourceArn`), and
 * only with the session tags EKS sets for that namespace and service account. Unlike IRSA, an EKS add-on
 * can map each of its service accounts to its own role this way (`pod_identity_association`).
 * @see https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html
 */
export class PodIdentityRole extends Construct {
  public readonly role: IamRole;
  public readonly roleArn: string;
  public readonly serviceAccount: string;

  constructor(scope: Construct, id: string, props: PodIdentityRoleProps) {
    super(scope, id);
    requireProps(this, props, { clusterArn: "the ARN of the cluster whose Pod Identity agent hands out the role", namespace: "the namespace of the service account", serviceAccount: "the one service account allowed" });
    throwIfProblems(this.node.path, validatePodIdentityRoleProps(props));
    this.serviceAccount = props.serviceAccount;
    const account = new DataAwsCallerIdentity(this, "Account");
    const trust = new DataAwsIamPolicyDocument(this, "Trust", {
      statement: [
        {
          sid: "PodIdentityOfOneServiceAccount",
          effect: "Allow",
          actions: ["sts:AssumeRole", "sts:TagSession"],
          principals: [{ type: "Service", identifiers: ["pods.eks.amazonaws.com"] }],
          condition: [
            { test: "StringEquals", variable: "aws:SourceAccount", values: [account.accountId] },
            { test: "ArnEquals", variable: "aws:SourceArn", values: [props.clusterArn] },
            { test: "StringEquals", variable: "aws:RequestTag/kubernetes-namespace", values: [props.namespace] },
            { test: "StringEquals", variable: "aws:RequestTag/kubernetes-service-account", values: [props.serviceAccount] },
          ],
        },
      ],
    });
    this.role = new IamRole(this, "Role", {
      assumeRolePolicy: trust.json,
      description: `EKS Pod Identity role of ${props.namespace}/${props.serviceAccount}`,
    });
    this.roleArn = this.role.arn;
  }
}

/** Checks {@link PodIdentityRoleProps} without building anything. */
export function validatePodIdentityRoleProps(props: PodIdentityRoleProps): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  if (!isDnsLabel(props.namespace)) problems.push({ path: "namespace", value: props.namespace, allowed: "a Kubernetes namespace name (RFC 1123 label)" });
  if (!isDnsSubdomain(props.serviceAccount)) {
    problems.push({ path: "serviceAccount", value: props.serviceAccount, allowed: "a Kubernetes service account name (RFC 1123 subdomain)" });
  }
  if (!isUnresolved(props.clusterArn) && !EKS_CLUSTER_ARN.test(props.clusterArn)) {
    problems.push({ path: "clusterArn", value: props.clusterArn, allowed: "an EKS cluster ARN" });
  }
  return problems;
}
