import type { IValidatingAdmissionPolicy } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy";
import type { IValidatingAdmissionPolicyBinding } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding";
import type { AdmissionPolicyDefinition, AdmissionPolicyKey } from "./policies";

/**
 * `audit`: violations are allowed, written to the audit log and returned to the client as warnings (`kubectl`
 * prints them). `enforce`: violations are refused.
 */
export const ADMISSION_MODES = ["audit", "enforce"] as const;
export type AdmissionMode = (typeof ADMISSION_MODES)[number];

/** The binding's `validationActions` per mode. */
export const VALIDATION_ACTIONS: Readonly<Record<AdmissionMode, readonly ("Deny" | "Audit" | "Warn")[]>> = {
  audit: ["Audit", "Warn"],
  enforce: ["Deny"],
};

/** A namespace whose objects a policy does not check. */
export interface NamespaceExemption {
  readonly namespace: string;
  /** The policies it is exempt from. */
  readonly policies: readonly AdmissionPolicyKey[];
}

/** The label the API server sets on every namespace to its own name; no one can set it to another's. */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

const API_VERSION = "admissionregistration.k8s.io/v1";

/** Labels on every policy object, so `kubectl get validatingadmissionpolicies -l …` lists the platform's. */
export const ADMISSION_POLICY_LABELS: Readonly<Record<string, string>> = { "app.kubernetes.io/managed-by": "sre-platform", "app.kubernetes.io/component": "admission-policy" };

/** The `ValidatingAdmissionPolicy` object of one definition. */
export function validatingAdmissionPolicy(def: AdmissionPolicyDefinition): Record<string, unknown> {
  return {
    apiVersion: API_VERSION,
    kind: "ValidatingAdmissionPolicy",
    metadata: { name: def.name, labels: { ...ADMISSION_POLICY_LABELS }, annotations: { "sre-platform.io/description": def.description } },
    spec: {
      // An expression that cannot be evaluated refuses the request (in enforce mode): a broken policy never fails open.
      failurePolicy: "Fail",
      matchConstraints: { resourceRules: def.resourceRules.map((r) => ({ ...r, apiGroups: [...r.apiGroups], apiVersions: [...r.apiVersions], operations: [...r.operations], resources: [...r.resources] })) },
      matchConditions: def.matchConditions.map((c) => ({ ...c })),
      variables: def.variables.map((v) => ({ ...v })),
      validations: def.validations.map((v) => ({ ...v })),
    },
    // Checked against the upstream API types at compile time; `satisfies` keeps them out of the public declarations.
  } satisfies IValidatingAdmissionPolicy;
}

/**
 * The `ValidatingAdmissionPolicyBinding` of one definition: the mode's actions, and every namespace exempt from
 * this policy left out by the namespace's immutable name label.
 */
export function validatingAdmissionPolicyBinding(def: AdmissionPolicyDefinition, mode: AdmissionMode, exemptions: readonly NamespaceExemption[]): Record<string, unknown> {
  const exempt = [...new Set(exemptions.filter((e) => e.policies.includes(def.key)).map((e) => e.namespace))].sort();
  return {
    apiVersion: API_VERSION,
    kind: "ValidatingAdmissionPolicyBinding",
    metadata: { name: def.name, labels: { ...ADMISSION_POLICY_LABELS } },
    spec: {
      policyName: def.name,
      validationActions: [...VALIDATION_ACTIONS[mode]],
      ...(exempt.length > 0 ? { matchResources: { namespaceSelector: { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: "NotIn", values: exempt }] } } } : {}),
    },
  } satisfies IValidatingAdmissionPolicyBinding;
}
