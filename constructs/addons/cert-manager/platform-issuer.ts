import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import type { IClusterAccess } from "../../cluster/cluster-access";
import { CustomResource, type ICrdInstaller } from "../../kubernetes/custom-resource";
import { throwIfProblems, ValidationProblem, requireProps } from "../../common/validation";
import { LETS_ENCRYPT_SERVERS, LetsEncryptServer, PLATFORM_ISSUER_NAME } from "../../../lib/security/certificates";
import type { KubernetesObjectLike } from "../../../lib/kubernetes/crd-schemas";
import type { CertManager } from "./cert-manager";
import type { AwsPrivateCaIssuer } from "./aws-privateca-issuer";

/** A CA made in the cluster: a self-signed root, kept as a Secret in cert-manager's namespace. */
export interface InClusterCaSource {
  readonly type: "selfSignedCA";
  /** Subject common name of the root. */
  readonly commonName: string;
  /** Validity of the root in days; cert-manager renews it at two thirds. */
  readonly validityDays: number;
}

/** Let's Encrypt with Route 53 DNS-01, in the zones cert-manager's role may write. */
export interface AcmeSource {
  readonly type: "acme";
  readonly server: LetsEncryptServer;
  /** Account email, for expiry notices. */
  readonly email: string;
}

/** AWS Private CA through its issuer add-on (in an earlier stack). */
export interface AwsPrivateCaSource {
  readonly type: "awsPrivateCA";
  readonly privateCa: AwsPrivateCaIssuer;
}

export type PlatformIssuerSource = InClusterCaSource | AcmeSource | AwsPrivateCaSource;

/** What a Certificate's `spec.issuerRef` names to get a certificate from the platform. */
export interface IssuerRef {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
}

/** Props of {@link PlatformIssuer}. */
export interface PlatformIssuerProps {
  /** cert-manager (in an earlier stack): its CRDs, its namespace and the zones its role may answer challenges in. */
  readonly certManager: CertManager;
  readonly source: PlatformIssuerSource;
  /**
   * Region the Route 53 solver's STS calls go to (Route 53 itself is global).
   * @default - the cluster's region, read from its ARN
   */
  readonly region?: string;
  /** @default - the stack's default Kubernetes provider */
  readonly access?: IClusterAccess;
}

/** Secret of the in-cluster root CA, in cert-manager's namespace (its cluster-resource namespace). */
export const IN_CLUSTER_CA_SECRET = "platform-root-ca";

/**
 * The platform's cluster-wide issuer, named {@link PLATFORM_ISSUER_NAME} whatever backs it, so certificates ask for the
 * same name in every environment: an in-cluster CA (self-signed bootstrap issuer → root CA Certificate → CA issuer),
 * Let's Encrypt over Route 53 DNS-01 (one solver per zone cert-manager's role may write), or AWS Private CA.
 * Terraform waits until the issuer is `Ready`.
 */
export class PlatformIssuer extends Construct implements ITerraformDependable {
  public readonly issuer: CustomResource;
  /** Every object made, by kind and name, e.g. `ClusterIssuer/platform`. */
  public readonly objects: Readonly<Record<string, CustomResource>>;
  public readonly issuerRef: IssuerRef;

  constructor(scope: Construct, id: string, props: PlatformIssuerProps) {
    super(scope, id);
    requireProps(this, props, { certManager: "the CertManager add-on (its CRDs)", source: "where certificates come from: selfSignedCA, acme or awsPrivateCA" });
    throwIfProblems(this.node.path, validatePlatformIssuerProps(props));
    const objects: Record<string, CustomResource> = {};
    const make = (manifest: KubernetesObjectLike & Record<string, unknown>, installedBy: ICrdInstaller, dependsOn: ITerraformDependable[] = []) => {
      const key = `${manifest.kind}/${manifest.metadata?.name}`;
      objects[key] = new CustomResource(this, `${manifest.kind}-${manifest.metadata?.name}`, {
        manifest,
        installedBy,
        access: props.access,
        waitForConditions: [{ type: "Ready", status: "True" }],
        dependsOn: dependsOn.length > 0 ? dependsOn : undefined,
      });
      return objects[key]!;
    };
    const cm = props.certManager;
    const source = props.source;
    if (source.type === "selfSignedCA") {
      const bootstrap = make({ apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name: "selfsigned-bootstrap" }, spec: { selfSigned: {} } }, cm);
      const root = make(
        {
          apiVersion: "cert-manager.io/v1",
          kind: "Certificate",
          metadata: { name: IN_CLUSTER_CA_SECRET, namespace: cm.namespace },
          spec: {
            isCA: true,
            commonName: source.commonName,
            secretName: IN_CLUSTER_CA_SECRET,
            duration: `${source.validityDays * 24}h`,
            // A new key with every renewal: a leaked root key stops working at the next rotation.
            privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
            issuerRef: { group: "cert-manager.io", kind: "ClusterIssuer", name: "selfsigned-bootstrap" },
          },
        },
        cm,
        [bootstrap],
      );
      this.issuer = make({ apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name: PLATFORM_ISSUER_NAME }, spec: { ca: { secretName: IN_CLUSTER_CA_SECRET } } }, cm, [root]);
      this.issuerRef = { group: "cert-manager.io", kind: "ClusterIssuer", name: PLATFORM_ISSUER_NAME };
    } else if (source.type === "acme") {
      this.issuer = make(
        {
          apiVersion: "cert-manager.io/v1",
          kind: "ClusterIssuer",
          metadata: { name: PLATFORM_ISSUER_NAME },
          spec: {
            acme: {
              server: LETS_ENCRYPT_SERVERS[source.server],
              email: source.email,
              privateKeySecretRef: { name: `${PLATFORM_ISSUER_NAME}-acme-account` },
              // One solver per zone, selected by domain: a name is answered only in the zone the role may write.
              solvers: cm.route53HostedZones.map((z) => ({
                selector: { dnsZones: [z.domain] },
                dns01: { route53: { region: props.region ?? cm.region, hostedZoneID: z.zoneId } },
              })),
            },
          },
        },
        cm,
      );
      this.issuerRef = { group: "cert-manager.io", kind: "ClusterIssuer", name: PLATFORM_ISSUER_NAME };
    } else {
      this.issuer = make(
        {
          apiVersion: "awspca.cert-manager.io/v1beta1",
          kind: "AWSPCAClusterIssuer",
          metadata: { name: PLATFORM_ISSUER_NAME },
          spec: { arn: source.privateCa.certificateAuthorityArn, region: source.privateCa.region },
        },
        source.privateCa,
      );
      this.issuerRef = { group: "awspca.cert-manager.io", kind: "AWSPCAClusterIssuer", name: PLATFORM_ISSUER_NAME };
    }
    this.objects = objects;
  }

  public get fqn(): string {
    return this.issuer.fqn;
  }
}

/** Checks {@link PlatformIssuerProps} without building anything. */
export function validatePlatformIssuerProps(props: PlatformIssuerProps): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const s = props.source;
  const zones = props.certManager.route53HostedZones;
  if (s.type === "acme") {
    if (zones.length === 0) {
      problems.push({ path: "certManager.route53HostedZones", value: [], allowed: "at least one hosted zone on the CertManager add-on: an ACME issuer answers DNS-01 challenges only where its role may write" });
    }
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(s.email)) problems.push({ path: "source.email", value: s.email, allowed: "an email address for Let's Encrypt's expiry notices" });
    if (!(s.server in LETS_ENCRYPT_SERVERS)) problems.push({ path: "source.server", value: s.server, allowed: `one of ${Object.keys(LETS_ENCRYPT_SERVERS).join(", ")}` });
  } else if (zones.length > 0) {
    problems.push({ path: "certManager.route53HostedZones", value: zones.map((z) => z.zoneId), allowed: `none for a ${s.type} issuer: the controller would hold a DNS role nothing uses` });
  }
  if (s.type === "selfSignedCA") {
    if (s.commonName.trim() === "" || s.commonName.length > 64) problems.push({ path: "source.commonName", value: s.commonName, allowed: "1 to 64 characters (the X.509 limit)" });
    if (!Number.isInteger(s.validityDays) || s.validityDays < 30) problems.push({ path: "source.validityDays", value: s.validityDays, allowed: "a whole number of days, at least 30" });
  }
  if (s.type === "awsPrivateCA" && s.privateCa.addon.namespace !== props.certManager.namespace) {
    problems.push({ path: "source.privateCa", value: s.privateCa.node.path, allowed: "the AWS Private CA issuer of this cert-manager" });
  }
  return problems;
}
