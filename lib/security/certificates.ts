/**
 * Names and endpoints of the platform's certificate authority (cert-manager), in one place for the add-on that
 * installs it, the issuers it serves, the configuration schema and whatever requests certificates from it.
 */

/** Helm release name of cert-manager; the chart names its controller, its service account and its Services after it. */
export const CERT_MANAGER_RELEASE = "cert-manager";

/** Where an environment's certificates come from (`security.certManager.issuer.type`). */
export const CERTIFICATE_ISSUER_TYPES = ["selfSignedCA", "acme", "awsPrivateCA"] as const;
export type CertificateIssuerType = (typeof CERTIFICATE_ISSUER_TYPES)[number];

/**
 * Name of the cluster-wide issuer every certificate of the platform asks for, whatever backs it (the in-cluster CA,
 * Let's Encrypt or AWS Private CA): a workload's `issuerRef` does not change between environments, only its `kind`
 * and `group` do (see the add-on's `issuerRef`).
 */
export const PLATFORM_ISSUER_NAME = "platform";

/** Let's Encrypt's ACME directories. `staging` issues untrusted certificates under far higher rate limits. */
export const LETS_ENCRYPT_SERVERS = {
  production: "https://acme-v02.api.letsencrypt.org/directory",
  staging: "https://acme-staging-v02.api.letsencrypt.org/directory",
} as const;
export type LetsEncryptServer = keyof typeof LETS_ENCRYPT_SERVERS;
