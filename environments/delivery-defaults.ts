import type { ArgoCdConfig, DeliveryConfig } from "../lib/config/delivery-schema";

/**
 * Argo CD as every environment runs it unless it says otherwise: single sign-on through the company's identity
 * provider, no local admin, each team's AppProject limited to its own repositories, the environment's root
 * app-of-apps in the platform's GitOps repository.
 */

/** The platform's GitOps repository: one directory per environment holds its Applications. */
export const GITOPS_REPOSITORY = "https://github.com/example-org/platform-gitops.git";

const small = (cpu: string, memory: string, limit: string) => ({ requests: { cpu, memory }, limits: { memory: limit } });

/** The shared Argo CD settings of an environment named `env`; sizes, HA and the sync policy are each environment's. */
export function argoCdShared(env: string): Pick<ArgoCdConfig, "url" | "sso" | "projects"> & { rootApplication: NonNullable<ArgoCdConfig["rootApplication"]> } {
  return {
    url: `https://argocd.${env}.example.com`,
    sso: {
      name: "Company SSO",
      issuer: "https://login.example.com/oauth2/default",
      clientId: `argocd-${env}`,
      clientSecretPath: "argocd/sso",
      adminGroups: ["platform-team"],
    },
    rootApplication: { repoURL: GITOPS_REPOSITORY, path: `environments/${env}`, targetRevision: "main", sync: "automated" },
    projects: {
      payments: { sourceRepos: ["https://github.com/example-org/payments-deploy.git"], groups: ["payments-team"] },
    },
  };
}

/** One of each, small: what dev and staging run unless they say otherwise. */
export const ARGOCD_SINGLE: Pick<ArgoCdConfig, "controller" | "server" | "repoServer" | "applicationSet" | "redis" | "spreadAcrossZones"> = {
  controller: { replicas: 1, resources: small("250m", "512Mi", "1Gi") },
  server: { replicas: 1, resources: small("50m", "128Mi", "256Mi") },
  repoServer: { replicas: 1, resources: small("100m", "256Mi", "512Mi") },
  applicationSet: { replicas: 1, resources: small("25m", "64Mi", "128Mi") },
  redis: { ha: false, resources: small("50m", "64Mi", "256Mi") },
  spreadAcrossZones: false,
};

/** The delivery section of an environment that installs its add-ons with Terraform's Helm releases. */
export function helmDelivery(argocd: ArgoCdConfig): DeliveryConfig {
  return { mode: "helm", argocd };
}
