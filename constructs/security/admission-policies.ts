import { Construct } from "constructs";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import type { IClusterAccess } from "../cluster/cluster-access";
import { throwIfProblems, ValidationProblem, requireProps } from "../common/validation";
import { isDnsLabel, isDnsSubdomain } from "../../lib/kubernetes/names";
import {
  ADMISSION_POLICY_KEYS, admissionPolicyDefinitions, POD_POLICY_KEYS, AdmissionPolicyKey, EXEMPTIBLE_WORKLOAD_KINDS, ProbeExemptContainer, REQUIRED_PROBES, WorkloadExemption,
} from "../../lib/security/admission/policies";
import {
  ADMISSION_MODES, AdmissionMode, NamespaceExemption, validatingAdmissionPolicy, validatingAdmissionPolicyBinding,
} from "../../lib/security/admission/manifests";
import { IMAGE_REGISTRY, IMAGE_REGISTRY_RULE, IMAGE_REPOSITORY, IMAGE_REPOSITORY_RULE } from "../../lib/security/admission/registries";

/** Props of {@link AdmissionPolicies}. */
export interface AdmissionPoliciesProps {
  /**
   * Registries images may come from: a host and optional repository path (`quay.io/prometheus`), matched on a path
   * boundary. No safe default exists: the platform stacks pass each add-on's own (its descriptor's `registries`).
   */
  readonly allowedRegistries: readonly string[];
  /**
   * Repositories images may be, matched exactly by tag or digest (`docker.io/grafana/grafana` admits
   * `docker.io/grafana/grafana:12.1.0` and `…@sha256:…`, never `docker.io/grafana/other` nor
   * `docker.io/grafana/grafana/x`): for an organisation or personal namespace the platform takes one image from.
   * @default []
   */
  readonly allowedRepositories?: readonly string[];
  /**
   * `enforce` refuses violations; `audit` lets them through, records them in the audit log and warns the client.
   * @default "enforce"
   */
  readonly mode?: AdmissionMode;
  /**
   * The policies in force; leaving one out removes its policy and binding.
   * @default - every policy (`ADMISSION_POLICY_KEYS`)
   */
  readonly policies?: readonly AdmissionPolicyKey[];
  /**
   * Namespaces a policy does not check, matched on the namespace's immutable `kubernetes.io/metadata.name` label.
   * @default []
   */
  readonly exemptNamespaces?: readonly NamespaceExemption[];
  /**
   * Workloads (and only their pods) a pod policy (`POD_POLICY_KEYS`) does not check, by namespace, kind and name.
   * @default []
   */
  readonly exemptWorkloads?: readonly WorkloadExemption[];
  /**
   * Containers, by name in any pod, that need not have some probe (a sidecar injected into other teams' pods). Read by
   * the probes policy only.
   * @default []
   */
  readonly probeExemptContainers?: readonly ProbeExemptContainer[];
  /**
   * The platform's own namespaces (its add-ons' and kube-system): the only ones whose pods the system placement policy
   * lets take a system PriorityClass, tolerate the system nodes' taint (or every taint) or select the system nodes.
   * @default [] (every namespace the policy's binding checks is refused system placement)
   */
  readonly platformNamespaces?: readonly string[];
  /**
   * How Terraform reaches the cluster (see `ClusterAccess`).
   * @default - the stack's default Kubernetes provider
   */
  readonly access?: IClusterAccess;
}

/** `privilegedContainers` → `PrivilegedContainers`: construct ids keyed by what the policy is. */
function idOf(key: AdmissionPolicyKey): string {
  return key.charAt(0).toUpperCase() + key.slice(1);
}

/**
 * The platform's admission policies as Kubernetes-native `ValidatingAdmissionPolicy` objects and their bindings
 * (core `admissionregistration.k8s.io/v1` kinds, GA since Kubernetes 1.30: no controller, no webhook, no CRD wait).
 * Each policy checks Pods and the pod templates of workload kinds with CEL the API server evaluates in process;
 * its binding carries the mode and the exempt namespaces. See the README for what this cannot do.
 * @see https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/
 */
export class AdmissionPolicies extends Construct {
  public readonly mode: AdmissionMode;
  public readonly policyKeys: readonly AdmissionPolicyKey[];
  /** The objects as applied, by policy key. */
  public readonly manifests: Readonly<Partial<Record<AdmissionPolicyKey, { readonly policy: Record<string, unknown>; readonly binding: Record<string, unknown> }>>>;
  /** Every policy and binding, for callers that must wait for all of them (`dependsOn: policies.resources`). */
  public readonly resources: readonly Manifest[];

  constructor(scope: Construct, id: string, props: AdmissionPoliciesProps) {
    super(scope, id);
    requireProps(this, props, { allowedRegistries: "the registries images may come from, e.g. quay.io/prometheus" });
    this.mode = props.mode ?? "enforce";
    this.policyKeys = props.policies ?? ADMISSION_POLICY_KEYS;
    throwIfProblems(this.node.path, validateAdmissionPoliciesProps(props));

    const defs = admissionPolicyDefinitions({
      allowedRegistries: props.allowedRegistries,
      allowedRepositories: props.allowedRepositories ?? [],
      exemptWorkloads: props.exemptWorkloads ?? [],
      probeExemptContainers: props.probeExemptContainers ?? [],
      platformNamespaces: props.platformNamespaces ?? [],
    });
    const resources: Manifest[] = [];
    const manifests: Partial<Record<AdmissionPolicyKey, { policy: Record<string, unknown>; binding: Record<string, unknown> }>> = {};
    for (const def of defs.filter((d) => this.policyKeys.includes(d.key))) {
      const policy = validatingAdmissionPolicy(def);
      const binding = validatingAdmissionPolicyBinding(def, this.mode, props.exemptNamespaces ?? []);
      const policyResource = new Manifest(this, `${idOf(def.key)}Policy`, { provider: props.access?.kubernetesProvider, manifest: policy });
      // A binding to a policy that does not exist yet matches nothing: bind once the policy is there.
      const bindingResource = new Manifest(this, `${idOf(def.key)}Binding`, { provider: props.access?.kubernetesProvider, manifest: binding, dependsOn: [policyResource] });
      resources.push(policyResource, bindingResource);
      manifests[def.key] = { policy, binding };
    }
    this.manifests = manifests;
    this.resources = resources;
  }
}

/** Checks {@link AdmissionPoliciesProps} without building anything. */
export function validateAdmissionPoliciesProps(props: AdmissionPoliciesProps): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const add = (path: string, value: unknown, allowed: string) => problems.push({ path, value, allowed });
  const keys = ADMISSION_POLICY_KEYS.join(", ");
  const checkKeys = (path: string, given: readonly string[]) => {
    given.forEach((k, i) => {
      if (!(ADMISSION_POLICY_KEYS as readonly string[]).includes(k)) add(`${path}[${i}]`, k, `one of ${keys}`);
    });
  };
  if (props.mode !== undefined && !ADMISSION_MODES.includes(props.mode)) add("mode", props.mode, ADMISSION_MODES.join(" or "));
  if (props.allowedRegistries.length === 0) add("allowedRegistries", props.allowedRegistries, "at least one registry: none would refuse every pod");
  props.allowedRegistries.forEach((r, i) => {
    if (!IMAGE_REGISTRY.test(r)) add(`allowedRegistries[${i}]`, r, IMAGE_REGISTRY_RULE);
  });
  (props.allowedRepositories ?? []).forEach((r, i) => {
    if (!IMAGE_REPOSITORY.test(r)) add(`allowedRepositories[${i}]`, r, IMAGE_REPOSITORY_RULE);
  });
  if (props.policies !== undefined) checkKeys("policies", props.policies);
  (props.exemptNamespaces ?? []).forEach((e, i) => {
    if (!isDnsLabel(e.namespace)) add(`exemptNamespaces[${i}].namespace`, e.namespace, "a namespace name (RFC 1123 label)");
    if (e.policies.length === 0) add(`exemptNamespaces[${i}].policies`, e.policies, `at least one of ${keys}`);
    checkKeys(`exemptNamespaces[${i}].policies`, e.policies);
  });
  (props.exemptWorkloads ?? []).forEach((w, i) => {
    if (!isDnsLabel(w.namespace)) add(`exemptWorkloads[${i}].namespace`, w.namespace, "a namespace name (RFC 1123 label)");
    if (!isDnsSubdomain(w.name)) add(`exemptWorkloads[${i}].name`, w.name, "a workload name (RFC 1123 subdomain)");
    if (!EXEMPTIBLE_WORKLOAD_KINDS.includes(w.kind)) add(`exemptWorkloads[${i}].kind`, w.kind, EXEMPTIBLE_WORKLOAD_KINDS.join(", "));
    const podKeys = POD_POLICY_KEYS.join(", ");
    if (w.policies.length === 0) add(`exemptWorkloads[${i}].policies`, w.policies, `at least one of ${podKeys}`);
    w.policies.forEach((k, j) => {
      if (!(POD_POLICY_KEYS as readonly string[]).includes(k)) add(`exemptWorkloads[${i}].policies[${j}]`, k, `one of ${podKeys} (a workload is exempt from pod policies only; exempt a namespace from the others)`);
    });
  });
  (props.platformNamespaces ?? []).forEach((n, i) => {
    if (!isDnsLabel(n)) add(`platformNamespaces[${i}]`, n, "a namespace name (RFC 1123 label)");
  });
  (props.probeExemptContainers ?? []).forEach((c, i) => {
    if (!isDnsLabel(c.name)) add(`probeExemptContainers[${i}].name`, c.name, "a container name (RFC 1123 label)");
    if (c.probes.length === 0 || c.probes.some((p) => !(REQUIRED_PROBES as readonly string[]).includes(p))) {
      add(`probeExemptContainers[${i}].probes`, c.probes, `one or more of ${REQUIRED_PROBES.join(", ")}`);
    }
  });
  return problems;
}
