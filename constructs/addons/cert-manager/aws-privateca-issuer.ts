import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { HelmAddon, HelmAddonProps, HelmChartDefaults, HelmReleaseOptions } from "../helm-addon";
import { ContainerResources, SystemNodePlacement } from "../addon-types";
import { resolvePlacement, validateSystemNodePlacement } from "../private/placement";
import { workloadValues } from "../private/workload-values";
import { isUnresolved, throwIfProblems, ValidationProblem, requireProps } from "../../common/validation";
import { ACM_PCA_CERTIFICATE_AUTHORITY_ARN, parseArn } from "../../../lib/aws/arns";
import { CERT_MANAGER_NAMESPACE } from "../../../lib/security/namespaces";
import { resolveWorkloadProfile, validateWorkloadProfile, WorkloadProfile } from "../../../lib/kubernetes/workload-profile";
import { CERT_MANAGER_SERVICE_ACCOUNT, CertManager } from "./cert-manager";

/**
 * cert-manager's AWS Private CA issuer, chart v1.9.0 (`awspca.cert-manager.io/v1beta1`). Its CRDs ship in the chart's
 * `crds/` folder, so its issuers belong to a later stack.
 * @see https://github.com/cert-manager/aws-privateca-issuer
 */
export const AWS_PRIVATECA_ISSUER_DEFAULTS: HelmChartDefaults = {
  chart: "aws-privateca-issuer",
  repository: "https://cert-manager.github.io/aws-privateca-issuer",
  version: "v1.9.0",
  namespace: CERT_MANAGER_NAMESPACE,
  releaseName: "aws-privateca-issuer",
  crds: {
    "awspca.cert-manager.io/v1beta1/AWSPCAClusterIssuer": "awspca.cert-manager.io/awspcaclusterissuer_v1beta1.json",
  },
};

/** The issuer's service account (the chart's full name), which its IRSA role trusts. */
export const AWS_PRIVATECA_ISSUER_SERVICE_ACCOUNT = "aws-privateca-issuer";

/** The issuer's size when the caller gives none. */
export const AWS_PRIVATECA_ISSUER_DEFAULT_RESOURCES: ContainerResources = { requests: { cpu: "25m", memory: "64Mi" }, limits: { memory: "128Mi" } };

/** The user and group of the issuer's image (distroless `nonroot`, the chart's default `runAsUser`). */
const AWS_PRIVATECA_ISSUER_IDS = { user: 65532, group: 65532 } as const;

/**
 * The end-entity templates the issuer picks from a request's usages. Subordinate-CA, code-signing and OCSP templates
 * are left out: a Certificate with `isCA: true` in any namespace would otherwise mint an intermediate CA.
 */
export const AWS_PCA_END_ENTITY_TEMPLATES = [
  "EndEntityCertificate/V1",
  "EndEntityClientAuthCertificate/V1",
  "EndEntityServerAuthCertificate/V1",
  "BlankEndEntityCertificate_APICSRPassthrough/V1",
] as const;

/** Props of {@link AwsPrivateCaIssuer}. */
export interface AwsPrivateCaIssuerProps extends HelmAddonProps, HelmReleaseOptions {
  /** cert-manager, in the same namespace: the issuer signs what its controller approves. */
  readonly certManager: CertManager;
  /** The CA certificates come from; the role may use this CA only. */
  readonly certificateAuthorityArn: string;
  /** Replicas (leader-elected); two or more get a PodDisruptionBudget. @default 2 */
  readonly replicas?: number;
  /** @default { requests: { cpu: "25m", memory: "64Mi" }, limits: { memory: "128Mi" } } */
  readonly resources?: ContainerResources;
  /** Spread replicas across zones (`DoNotSchedule`). @default false */
  readonly spreadAcrossZones?: boolean;
  /** @default - the `ON_DEMAND` capacity label and `CriticalAddonsOnly` toleration */
  readonly systemNodePlacement?: SystemNodePlacement;
}

/**
 * The AWS Private CA issuer for cert-manager, hardened like cert-manager itself, with an IRSA role that may issue
 * end-entity certificates from one CA and read them back, nothing else.
 */
export class AwsPrivateCaIssuer extends Construct implements ITerraformDependable {
  public readonly addon: HelmAddon;
  public readonly certificateAuthorityArn: string;
  /** Region of the CA (from its ARN), which the issuer calls. */
  public readonly region: string;
  public readonly replicas: number;

  constructor(scope: Construct, id: string, props: AwsPrivateCaIssuerProps) {
    super(scope, id);
    requireProps(this, props, { cluster: "an ICluster (EksCluster or EksCluster.fromClusterAttributes())", certManager: "the CertManager add-on", certificateAuthorityArn: "the AWS Private CA ARN" });
    this.certificateAuthorityArn = props.certificateAuthorityArn;
    this.replicas = props.replicas ?? 2;
    throwIfProblems(this.node.path, validateAwsPrivateCaIssuerProps(props));
    this.region = parseArn(props.certificateAuthorityArn)?.region ?? "";
    const placement = resolvePlacement(props.systemNodePlacement);
    const profile = resolveWorkloadProfile({ ...awsPrivateCaIssuerProfile(props), placement });
    const selector = { "app.kubernetes.io/name": "aws-privateca-issuer", "app.kubernetes.io/instance": AWS_PRIVATECA_ISSUER_DEFAULTS.releaseName };

    this.addon = new HelmAddon(this, "Helm", {
      ...props,
      namespace: props.certManager.namespace,
      defaults: AWS_PRIVATECA_ISSUER_DEFAULTS,
      dependsOn: [props.certManager, ...(props.dependsOn ?? [])],
      irsa: {
        serviceAccountName: AWS_PRIVATECA_ISSUER_SERVICE_ACCOUNT,
        namePath: ["serviceAccount", "name"],
        annotationsPath: ["serviceAccount", "annotations"],
        statements: awsPrivateCaIssuerStatements(props.certificateAuthorityArn),
      },
      chartValues: {
        ...workloadValues(profile, {
          replicas: ["replicaCount"],
          // The chart's spelling; one replica may always be evicted, so a single replica never blocks a drain.
          podDisruptionBudget: { path: ["podDisruptionBudget"], render: () => ({ maxUnavailable: 1 }) },
          resources: ["resources"],
          // The chart's default limits the container to 50m CPU; Helm would keep it next to the memory limit.
          chartCpuLimit: ["resources", "limits", "cpu"],
          // The chart runs as 65532 but sets nothing else: the rest of the hardened context is the profile's.
          podSecurityContext: { path: ["podSecurityContext"] },
          containerSecurityContext: { path: ["securityContext"] },
          // Helm replaces lists: the chart's OS and architecture requirements are kept next to the system-node labels.
          affinity: {
            path: ["affinity"],
            keep: [
              { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
              { key: "kubernetes.io/arch", operator: "In", values: ["amd64", "arm64"] },
            ],
          },
          tolerations: ["tolerations"],
          topologySpreadConstraints: { path: ["topologySpreadConstraints"], matchLabels: selector },
        }),
        // cert-manager approves requests for this issuer's signers; the chart grants its controller that, by name.
        approverRole: { enabled: true, serviceAccountName: CERT_MANAGER_SERVICE_ACCOUNT, namespace: props.certManager.namespace },
        serviceMonitor: { create: false },
      },
    });
  }

  /** The CRDs its chart installs, for the custom resources that name this add-on as their installer. */
  public get crds(): Readonly<Record<string, string>> {
    return this.addon.crds;
  }

  public get fqn(): string {
    return this.addon.fqn;
  }
}

/** Issue end-entity certificates from one CA and read them back; describe that CA (its signing algorithm). */
export function awsPrivateCaIssuerStatements(caArn: string): DataAwsIamPolicyDocumentStatement[] {
  const partition = parseArn(caArn)?.partition ?? "aws";
  return [
    {
      sid: "IssueEndEntityCertificatesFromOneCa",
      actions: ["acm-pca:IssueCertificate"],
      resources: [caArn],
      condition: [{ test: "StringEquals", variable: "acm-pca:TemplateArn", values: AWS_PCA_END_ENTITY_TEMPLATES.map((t) => `arn:${partition}:acm-pca:::template/${t}`) }],
    },
    { sid: "ReadOneCa", actions: ["acm-pca:GetCertificate", "acm-pca:DescribeCertificateAuthority"], resources: [caArn] },
  ];
}

/** Checks {@link AwsPrivateCaIssuerProps} without building anything. */
export function validateAwsPrivateCaIssuerProps(props: AwsPrivateCaIssuerProps): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const arn = props.certificateAuthorityArn;
  if (!isUnresolved(arn) && !ACM_PCA_CERTIFICATE_AUTHORITY_ARN.test(arn)) {
    problems.push({ path: "certificateAuthorityArn", value: arn, allowed: "an AWS Private CA ARN: arn:aws:acm-pca:<region>:<account>:certificate-authority/<uuid>" });
  }
  if (isUnresolved(arn)) problems.push({ path: "certificateAuthorityArn", value: arn, allowed: "a literal ARN: its region and partition are read at synth" });
  problems.push(...validateWorkloadProfile("", awsPrivateCaIssuerProfile(props), "the issuer's pods"));
  if (props.namespace !== undefined && props.namespace !== props.certManager.namespace) {
    problems.push({ path: "namespace", value: props.namespace, allowed: `cert-manager's namespace, ${props.certManager.namespace} (the chart grants cert-manager's controller approval there)` });
  }
  problems.push(...validateSystemNodePlacement(props.systemNodePlacement));
  return problems;
}

function awsPrivateCaIssuerProfile(props: AwsPrivateCaIssuerProps): WorkloadProfile {
  return {
    replicas: props.replicas ?? 2,
    resources: props.resources ?? AWS_PRIVATECA_ISSUER_DEFAULT_RESOURCES,
    spreadAcrossZones: props.spreadAcrossZones ?? false,
    runAs: AWS_PRIVATECA_ISSUER_IDS,
  };
}
