import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { HelmAddon, HelmAddonProps, HelmChartDefaults, HelmReleaseOptions } from "../helm-addon";
import { ContainerResources, SystemNodePlacement } from "../addon-types";
import { resolvePlacement, validateSystemNodePlacement } from "../private/placement";
import { ENABLED_FLAG_BUDGET, workloadValues } from "../private/workload-values";
import { arnContext, ArnContext } from "../../common/cluster-arn";
import { throwIfProblems, ValidationProblem, requireProps } from "../../common/validation";
import { isSecretsManagerPrefix, SECRETS_MANAGER_PREFIX_RULE } from "../../../lib/aws/secrets-manager";
import { resolveWorkloadProfile, validateWorkloadProfile, WorkloadProfile } from "../../../lib/kubernetes/workload-profile";
import { EXTERNAL_SECRETS_NAMESPACE, EXTERNAL_SECRETS_RELEASE } from "../../../lib/security/namespaces";

/**
 * The external-secrets chart 2.6.0 (External Secrets Operator v2.6.0, `external-secrets.io/v1`). It installs its
 * CRDs (`installCRDs`), so SecretStores and ExternalSecrets belong to a later stack.
 * @see https://external-secrets.io/latest/introduction/getting-started/
 */
export const EXTERNAL_SECRETS_DEFAULTS: HelmChartDefaults = {
  chart: "external-secrets",
  repository: "https://charts.external-secrets.io",
  version: "2.6.0",
  namespace: EXTERNAL_SECRETS_NAMESPACE,
  releaseName: EXTERNAL_SECRETS_RELEASE,
  crds: {
    "external-secrets.io/v1/ExternalSecret": "external-secrets.io/externalsecret_v1.json",
    "external-secrets.io/v1/ClusterSecretStore": "external-secrets.io/clustersecretstore_v1.json",
  },
};

/** The controller's service account, which the IRSA role trusts. */
export const EXTERNAL_SECRETS_SERVICE_ACCOUNT = "external-secrets";

/** The user and group the external-secrets image runs as (the chart's default `runAsUser`). */
const EXTERNAL_SECRETS_IDS = { user: 1000, group: 1000 };

/** The webhook and the cert controller: small and steady. */
export const EXTERNAL_SECRETS_SMALL_RESOURCES: ContainerResources = { requests: { cpu: "10m", memory: "64Mi" }, limits: { memory: "128Mi" } };

/** The controller's size when the caller gives none. */
export const EXTERNAL_SECRETS_DEFAULT_RESOURCES: ContainerResources = { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } };

/** Props of {@link ExternalSecrets}. */
export interface ExternalSecretsProps extends HelmAddonProps, HelmReleaseOptions {
  /**
   * Secrets Manager path prefix (e.g. `sre-platform/dev`): the controller may read `secret:<prefix>/*` and nothing else.
   */
  readonly secretsManagerPrefix: string;
  /** Controller replicas (leader-elected); two or more get a PodDisruptionBudget. @default 2 */
  readonly replicas?: number;
  /** @default { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } } */
  readonly resources?: ContainerResources;
  /** Keep the controller on the system node group. @default - the `ON_DEMAND` capacity label and `CriticalAddonsOnly` toleration */
  readonly systemNodePlacement?: SystemNodePlacement;
}

/**
 * External Secrets Operator with an IRSA role that can read only the environment's Secrets Manager prefix, so
 * credentials reach pods as Kubernetes Secrets without ever passing through Terraform's JSON or state.
 */
export class ExternalSecrets extends Construct implements ITerraformDependable {
  public readonly addon: HelmAddon;
  public readonly secretsManagerPrefix: string;
  public readonly replicas: number;
  /** Region of the cluster, which the stores read Secrets Manager in. */
  public readonly region: string;

  constructor(scope: Construct, id: string, props: ExternalSecretsProps) {
    super(scope, id);
    requireProps(this, props, { cluster: "an ICluster (EksCluster or EksCluster.fromClusterAttributes())", secretsManagerPrefix: "the Secrets Manager path prefix the controller may read, e.g. sre-platform/dev" });
    this.secretsManagerPrefix = props.secretsManagerPrefix;
    this.replicas = props.replicas ?? 2;
    throwIfProblems(this.node.path, validateExternalSecretsProps(props));
    const placement = resolvePlacement(props.systemNodePlacement);
    const ctx = arnContext(props.cluster.clusterArn);
    this.region = ctx.region;
    // Each of the chart's three deployments (controller, webhook, cert controller) on the system nodes, with the shared
    // hardened contexts (the image runs as 1000; the chart renders a context only while `enabled`) and sized.
    const hardened = (profile: WorkloadProfile) =>
      workloadValues(resolveWorkloadProfile({ ...profile, placement }), {
        podSecurityContext: { path: ["podSecurityContext"], extra: { enabled: true } },
        containerSecurityContext: { path: ["securityContext"], extra: { enabled: true } },
        resources: ["resources"],
        affinity: { path: ["affinity"] },
        tolerations: ["tolerations"],
      });
    const controller = resolveWorkloadProfile({ ...externalSecretsProfile(props), placement });

    this.addon = new HelmAddon(this, "Helm", {
      ...props,
      defaults: EXTERNAL_SECRETS_DEFAULTS,
      irsa: {
        serviceAccountName: EXTERNAL_SECRETS_SERVICE_ACCOUNT,
        namePath: ["serviceAccount", "name"],
        annotationsPath: ["serviceAccount", "annotations"],
        statements: externalSecretsStatements(ctx, this.secretsManagerPrefix),
      },
      chartValues: {
        installCRDs: true,
        ...workloadValues(controller, { replicas: ["replicaCount"], podDisruptionBudget: { path: ["podDisruptionBudget"], render: ENABLED_FLAG_BUDGET } }),
        ...hardened(externalSecretsProfile(props)),
        // The controller's only probe in this chart; it has no readiness probe (an admission exemption says so).
        livenessProbe: { enabled: true },
        webhook: hardened({ resources: EXTERNAL_SECRETS_SMALL_RESOURCES, runAs: EXTERNAL_SECRETS_IDS }),
        certController: hardened({ resources: EXTERNAL_SECRETS_SMALL_RESOURCES, runAs: EXTERNAL_SECRETS_IDS }),
      },
    });
  }

  /** The release's address: stores and ExternalSecrets (in a later stack) depend on it through their stack. */
  /** The CRDs its chart installs, for the custom resources that name this add-on as their installer. */
  public get crds(): Readonly<Record<string, string>> {
    return this.addon.crds;
  }

  public get fqn(): string {
    return this.addon.fqn;
  }
}

/** Read-only access to the environment's secrets, by path prefix (`…:secret:<prefix>/*`). */
export function externalSecretsStatements(ctx: ArnContext, prefix: string): DataAwsIamPolicyDocumentStatement[] {
  return [
    {
      sid: "ReadTheEnvironmentsSecretsOnly",
      actions: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
      resources: [`arn:${ctx.partition}:secretsmanager:${ctx.region}:${ctx.account}:secret:${prefix}/*`],
    },
  ];
}

/** Checks {@link ExternalSecretsProps} without building anything (the release is checked by `HelmAddon`). */
export function validateExternalSecretsProps(props: ExternalSecretsProps): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  if (!isSecretsManagerPrefix(props.secretsManagerPrefix ?? "")) {
    problems.push({ path: "secretsManagerPrefix", value: props.secretsManagerPrefix, allowed: SECRETS_MANAGER_PREFIX_RULE });
  }
  problems.push(...validateWorkloadProfile("", externalSecretsProfile(props), "the controller's pods"));
  problems.push(...validateSystemNodePlacement(props.systemNodePlacement));
  return problems;
}

function externalSecretsProfile(props: ExternalSecretsProps): WorkloadProfile {
  return { replicas: props.replicas ?? 2, resources: props.resources ?? EXTERNAL_SECRETS_DEFAULT_RESOURCES, runAs: EXTERNAL_SECRETS_IDS };
}
