import type { ArgoCdConfig, CanaryConfig, DeliveryConfig } from "../lib/config/delivery-schema";
import { DEFAULT_CANARY_LABEL } from "../lib/slo/canary-analysis";

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

/** How an environment that installs its add-ons with Terraform's Helm releases runs Argo CD. */
export function helmDelivery(argocd: ArgoCdConfig): Pick<DeliveryConfig, "mode" | "argocd"> {
  return { mode: "helm", argocd };
}

/**
 * Canary delivery shared by the environments: checkout-api is rolled out as an Istio-routed canary judged by its
 * availability SLO, and its availability and latency budgets gate promotion. Environments choose the controller's size,
 * the pace of the steps and the analysis' patience.
 */

/** The checkout API's canary: the Services and VirtualService its team's manifests define, in the payments namespace. */
export function checkoutApiCanary(pace: { steps: CanaryConfig["steps"]; analysis: CanaryConfig["analysis"] }): CanaryConfig {
  return {
    service: "checkout-api",
    slo: "availability",
    namespace: "payments",
    stableService: "checkout-api-stable",
    canaryService: "checkout-api-canary",
    virtualService: { name: "checkout-api", routes: ["primary"] },
    canaryLabel: DEFAULT_CANARY_LABEL,
    ...pace,
  };
}

/**
 * The error-budget policy: while less than the floor of a gated SLO's period budget is left, its service is not
 * promoted and its owners get a P2. The incident commander or the service's engineering manager may override it for
 * at most three days, under a change ticket, recorded here (reviewed like any change) and over at its expiry.
 */
export function errorBudgetPolicy(floor: number, overrides: DeliveryConfig["errorBudgetPolicy"]["overrides"] = []): DeliveryConfig["errorBudgetPolicy"] {
  return {
    gates: [
      { service: "checkout-api", slo: "availability" },
      { service: "checkout-api", slo: "latency" },
    ],
    floor,
    approvers: ["incident-commander", "payments-engineering-manager"],
    ticketPattern: "^CHG-[0-9]+$",
    maxOverrideDays: 3,
    overrides,
  };
}
