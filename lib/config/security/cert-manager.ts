import { z } from "zod";
import { ACM_PCA_CERTIFICATE_AUTHORITY_ARN } from "../../aws/arns";
import { DNS_ZONE_NAME_RULE, isDnsZoneName, ROUTE53_HOSTED_ZONE_ID, ROUTE53_HOSTED_ZONE_ID_RULE } from "../../aws/route53";
import { LETS_ENCRYPT_SERVERS, LetsEncryptServer } from "../../security/certificates";
import { ResourcesSchema } from "../platform-schema";

/**
 * `security.certManager`: where the environment's certificates come from and how big cert-manager is. The issuer is a
 * discriminated union on `type`, so each kind of issuer carries exactly the fields it needs and nothing else.
 *
 * No opt-out: nothing here can weaken a default. The pods' hardening (non-root, read-only root file system, no
 * capabilities, RuntimeDefault seccomp), least-privilege IRSA and the scoped DNS-01 policy are not configurable.
 */

/** dev: a CA bootstrapped in the cluster (self-signed root → CA issuer); trusted by nothing outside it. */
export const SelfSignedCaIssuerSchema = z.strictObject({
  type: z.literal("selfSignedCA"),
  /** Subject common name of the in-cluster root CA, e.g. `sre-platform dev CA` (X.509 allows at most 64 characters). */
  commonName: z.string().trim().min(1).max(64),
  /** Validity of the root CA; cert-manager renews it at two thirds of it. */
  validityDays: z.number().int().min(30).max(3650),
});

/** Let's Encrypt with DNS-01 on Route 53: the only records the solver may write are `_acme-challenge` TXT records. */
export const AcmeIssuerSchema = z.strictObject({
  type: z.literal("acme"),
  /** `staging` for environments whose certificates nobody outside trusts: far higher rate limits. */
  server: z.enum(Object.keys(LETS_ENCRYPT_SERVERS) as [LetsEncryptServer, ...LetsEncryptServer[]]),
  /** Where Let's Encrypt sends expiry and account notices. */
  email: z.email({ message: "an email address that Let's Encrypt sends expiry notices to" }),
  /** Zones the solver answers challenges in: the IRSA role may change records of these zones only. */
  hostedZones: z
    .array(
      z.strictObject({
        zoneId: z.string().regex(ROUTE53_HOSTED_ZONE_ID, { message: ROUTE53_HOSTED_ZONE_ID_RULE }),
        domain: z.string().refine(isDnsZoneName, { message: DNS_ZONE_NAME_RULE }),
      }),
    )
    .min(1, { message: "at least one hosted zone: without one no DNS-01 challenge can be answered" }),
});

/** AWS Private CA through aws-privateca-issuer: certificates from a CA AWS keeps the key of. */
export const AwsPrivateCaIssuerSchema = z.strictObject({
  type: z.literal("awsPrivateCA"),
  /** The CA; its IRSA role may issue from this CA only. */
  certificateAuthorityArn: z.string().regex(ACM_PCA_CERTIFICATE_AUTHORITY_ARN, {
    message: "an AWS Private CA ARN: arn:aws:acm-pca:<region>:<account>:certificate-authority/<uuid>",
  }),
});

export const CertificateIssuerSchema = z.discriminatedUnion("type", [SelfSignedCaIssuerSchema, AcmeIssuerSchema, AwsPrivateCaIssuerSchema]);

/** One cert-manager component: replicas (leader-elected controllers; two or more get a PodDisruptionBudget) and size. */
const ComponentSchema = z.strictObject({
  replicas: z.number().int().min(1).max(5),
  resources: ResourcesSchema,
});

/**
 * Sizes and zones are the CertManager construct's props: its validator checks them, at this section's path, before
 * anything is built (constructs/addons/cert-manager/addon.ts).
 */
export const CertManagerConfigSchema = z.strictObject({
    issuer: CertificateIssuerSchema,
    controller: ComponentSchema,
    webhook: ComponentSchema,
    cainjector: ComponentSchema,
    /** Spread each component's replicas across zones (`DoNotSchedule`), so a zone outage leaves issuance and admission running. */
    spreadAcrossZones: z.boolean(),
});

export type CertificateIssuerConfig = z.infer<typeof CertificateIssuerSchema>;
export type CertManagerConfig = z.infer<typeof CertManagerConfigSchema>;
