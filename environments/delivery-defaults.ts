import type { CanaryConfig, DeliveryConfig } from "../lib/config/delivery-schema";
import { DEFAULT_CANARY_LABEL } from "../lib/slo/canary-analysis";

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
