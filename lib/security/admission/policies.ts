import { celAny, celString, celStringList, re2Literal } from "./cel";
import { repositoryImagePattern } from "./registries";
import { ISTIO_INGRESS_NAMESPACE, MESH_INJECTION_LABEL, meshNamespaceLabels } from "../namespaces";
import { NODE_ROLE_LABEL, NODE_ROLES } from "../../kubernetes/labels";
import { DEFAULT_SYSTEM_TOLERATIONS } from "../../kubernetes/workload-profile";

/**
 * The platform's admission policies as data: for each, what it matches, the CEL variables and validations the API
 * server evaluates, and the messages a refused request gets. Framework-free: `manifests.ts` turns these into
 * `ValidatingAdmissionPolicy` objects, and the tests evaluate the very same expressions with a CEL evaluator.
 *
 * Each policy checks Pods (where every container finally runs, whoever created it) and the pod templates of the
 * workload kinds (so `kubectl apply` of a Deployment is refused at once, instead of its ReplicaSet failing to create
 * pods later, out of sight). Only standard CEL is used (macros `has`, `all`, `exists`, `filter`; `startsWith`,
 * `endsWith`, `matches`, `in`, `size`, `dyn`), which both Kubernetes and the test evaluator implement.
 *
 * One policy checks Services instead: a Service is how a namespace claims traffic, and `spec.externalIPs` or a node
 * port claims traffic that is not the namespace's own.
 */

/**
 * The policies that check pods, which a workload exemption can name. `serviceExposure` checks Services, which no
 * workload owns: only a namespace can be exempt from it.
 */
export const POD_POLICY_KEYS = ["privilegedContainers", "hostNamespaces", "imageTags", "allowedRegistries", "resourceLimits", "probes", "systemPlacement", "meshBypass", "hostPathVolumes"] as const;
export type PodPolicyKey = (typeof POD_POLICY_KEYS)[number];

/** The policies, by the name the configuration uses for them (opt-outs and exemptions). */
export const ADMISSION_POLICY_KEYS = [...POD_POLICY_KEYS, "serviceExposure", "monitorScope"] as const;
export type AdmissionPolicyKey = (typeof ADMISSION_POLICY_KEYS)[number];

/**
 * Namespaces whose Services may be `LoadBalancer` or `NodePort`: the mesh's ingress gateway, the one way into the
 * cluster. Anywhere else such a Service bypasses the gateway's TLS, authorization and logs.
 */
export const EXPOSED_SERVICE_NAMESPACES: readonly string[] = [ISTIO_INGRESS_NAMESPACE];
/** Service types that open a port on every node (`NodePort`) or an external load balancer (`LoadBalancer`, which also opens node ports). */
export const EXPOSING_SERVICE_TYPES = ["LoadBalancer", "NodePort"] as const;

/** Object names of the policies (and of their bindings): the key in kebab case, under the platform's prefix. */
export const ADMISSION_POLICY_NAMES: Readonly<Record<AdmissionPolicyKey, string>> = {
  privilegedContainers: "sre-platform-privileged-containers",
  hostNamespaces: "sre-platform-host-namespaces",
  imageTags: "sre-platform-image-tags",
  allowedRegistries: "sre-platform-allowed-registries",
  resourceLimits: "sre-platform-resource-limits",
  probes: "sre-platform-probes",
  systemPlacement: "sre-platform-system-placement",
  meshBypass: "sre-platform-mesh-bypass",
  hostPathVolumes: "sre-platform-host-path-volumes",
  serviceExposure: "sre-platform-service-exposure",
  monitorScope: "sre-platform-monitor-scope",
};

/**
 * ServiceMonitor endpoint fields that name a file on the Prometheus container: a team's monitor naming
 * `/var/run/secrets/kubernetes.io/serviceaccount/token` would have Prometheus send its own service-account token to
 * the team's endpoint. prometheus-operator's `arbitraryFSAccessThroughSMs.deny` would refuse them everywhere, the
 * chart's kubelet and API server monitors included; the monitor scope policy refuses them outside the platform's
 * namespaces only. (A PodMonitor's endpoints read TLS material from Secrets and ConfigMaps only.)
 */
export const MONITOR_FILE_FIELDS = ["bearerTokenFile", "tlsConfig.caFile", "tlsConfig.certFile", "tlsConfig.keyFile"] as const;

/**
 * PriorityClasses Kubernetes defines for the cluster's own components: a pod with one preempts anything else on its
 * node, the platform's controllers included.
 */
export const SYSTEM_PRIORITY_CLASSES = ["system-node-critical", "system-cluster-critical"] as const;
/** Taint keys of the system node group, which only the platform's controllers tolerate. */
export const SYSTEM_TAINT_KEYS: readonly string[] = [...new Set(DEFAULT_SYSTEM_TOLERATIONS.map((t) => t.key).filter((k): k is string => k !== undefined))];

/**
 * The pod annotation and label by which istiod's injector skips a pod. Istio injects only when the value is `y`,
 * `yes`, `true` or `on` (any case) and falls back to the namespace's default when it is empty: any other value keeps
 * the sidecar out. The label wins over the annotation.
 */
export const SIDECAR_INJECT_KEY = "sidecar.istio.io/inject";
/** The only values of {@link SIDECAR_INJECT_KEY} the mesh bypass policy admits: the namespace's default, or `true`. */
export const SIDECAR_INJECT_ALLOWED_VALUES = ["", "true"] as const;
/**
 * Pod annotations that take ports, addresses or interfaces out of the sidecar's traffic capture: traffic through them
 * skips the mesh's mTLS, authorization and telemetry.
 */
export const SIDECAR_CAPTURE_EXCLUSIONS = [
  "traffic.sidecar.istio.io/excludeInboundPorts",
  "traffic.sidecar.istio.io/excludeOutboundPorts",
  "traffic.sidecar.istio.io/excludeOutboundIPRanges",
  "traffic.sidecar.istio.io/excludeInterfaces",
] as const;

/**
 * Pod annotations that set which ports, addresses or interfaces the sidecar captures, with the only values the mesh
 * bypass policy admits: those that capture what the default does. Istio's injector takes a present annotation as is,
 * so an empty `includeInboundPorts` or `includeOutboundIPRanges` captures nothing at all, and a narrowed one lets
 * everything else skip the sidecar. `includeOutboundPorts` and `includeInterfaces` only widen the capture; they are
 * refused anyway, so that one rule holds: a meshed pod's capture is the namespace's, never the pod's own.
 */
export const SIDECAR_CAPTURE_INCLUSIONS: Readonly<Record<string, readonly string[]>> = {
  "traffic.sidecar.istio.io/includeInboundPorts": ["*"],
  "traffic.sidecar.istio.io/includeOutboundIPRanges": ["*"],
  "traffic.sidecar.istio.io/includeOutboundPorts": [""],
  "traffic.sidecar.istio.io/includeInterfaces": [""],
};

/** Workload kinds a named exemption can name; their pods are recognised by their owner. */
export const EXEMPTIBLE_WORKLOAD_KINDS = ["Deployment", "StatefulSet", "DaemonSet"] as const;
export type ExemptibleWorkloadKind = (typeof EXEMPTIBLE_WORKLOAD_KINDS)[number];

/** One workload (and only its pods) exempt from some policies. */
export interface WorkloadExemption {
  readonly namespace: string;
  readonly kind: ExemptibleWorkloadKind;
  readonly name: string;
  readonly policies: readonly PodPolicyKey[];
}

/** The probes the probes policy requires. */
export const REQUIRED_PROBES = ["readinessProbe", "livenessProbe"] as const;
export type RequiredProbe = (typeof REQUIRED_PROBES)[number];

/**
 * Containers, by name in any pod, that need not have some probe: for containers injected into other teams' pods (a
 * mesh sidecar), which no workload exemption could name. Only the probes policy reads it: a container name is never a
 * reason to allow privilege, host access or an unpinned image.
 */
export interface ProbeExemptContainer {
  readonly name: string;
  readonly probes: readonly RequiredProbe[];
  /**
   * Image repositories (`docker.io/istio/proxyv2`) the container must run for the exemption to hold, so that a team
   * cannot skip a probe by naming its own container like the sidecar.
   * @default - any image (the name alone)
   */
  readonly images?: readonly string[];
}

/** The CEL condition under which container `c` is exempt: its name, and where given, one of its images (`repo:tag` or `repo@digest`). */
function probeExemptCondition(e: ProbeExemptContainer): string {
  const named = `c.name == ${celString(e.name)}`;
  if (!e.images || e.images.length === 0) return named;
  return `(${named} && ${celStringList(e.images)}.exists(r, c.image.startsWith(r + ':') || c.image.startsWith(r + '@')))`;
}

/** One `resourceRules` entry of a policy's `matchConstraints`. */
export interface ResourceRule {
  readonly apiGroups: readonly string[];
  readonly apiVersions: readonly string[];
  readonly operations: readonly ("CREATE" | "UPDATE")[];
  readonly resources: readonly string[];
}

export interface CelVariable {
  readonly name: string;
  readonly expression: string;
}

export interface CelValidation {
  readonly expression: string;
  /** Static message, used when `messageExpression` cannot be evaluated. */
  readonly message: string;
  /** Names the offending container; evaluated only when the validation fails. */
  readonly messageExpression?: string;
  readonly reason: "Forbidden" | "Invalid";
}

/** One policy as data. */
export interface AdmissionPolicyDefinition {
  readonly key: AdmissionPolicyKey;
  readonly name: string;
  readonly description: string;
  readonly resourceRules: readonly ResourceRule[];
  readonly matchConditions: readonly CelVariable[];
  readonly variables: readonly CelVariable[];
  readonly validations: readonly CelValidation[];
}

/** What the policies are rendered from. */
export interface AdmissionPolicyParameters {
  /** Allowed registry entries, matched on a `/` boundary (see `registries.ts`). */
  readonly allowedRegistries: readonly string[];
  /**
   * Allowed repository entries, matched exactly, by tag or digest (see `registries.ts`).
   * @default []
   */
  readonly allowedRepositories?: readonly string[];
  /** @default [] */
  readonly exemptWorkloads?: readonly WorkloadExemption[];
  /** @default [] */
  readonly probeExemptContainers?: readonly ProbeExemptContainer[];
  /**
   * The platform's own namespaces (its add-ons' and kube-system), whose pods may run on the system nodes with a system
   * PriorityClass: the system placement policy refuses both everywhere else.
   * @default [] (no namespace: every pod is refused system placement unless its namespace's binding leaves it out)
   */
  readonly platformNamespaces?: readonly string[];
}

const OPERATIONS: ResourceRule["operations"] = ["CREATE", "UPDATE"];
const POD_RULE: ResourceRule = { apiGroups: [""], apiVersions: ["v1"], operations: OPERATIONS, resources: ["pods"] };
/** `kubectl debug` adds ephemeral containers through this subresource, never through a Pod create or update. */
const EPHEMERAL_RULE: ResourceRule = { apiGroups: [""], apiVersions: ["v1"], operations: ["UPDATE"], resources: ["pods/ephemeralcontainers"] };
const LONG_RUNNING_TEMPLATE_RULES: readonly ResourceRule[] = [
  { apiGroups: ["apps"], apiVersions: ["v1"], operations: OPERATIONS, resources: ["deployments", "statefulsets", "daemonsets", "replicasets"] },
  { apiGroups: [""], apiVersions: ["v1"], operations: OPERATIONS, resources: ["replicationcontrollers"] },
];
const JOB_TEMPLATE_RULE: ResourceRule = { apiGroups: ["batch"], apiVersions: ["v1"], operations: OPERATIONS, resources: ["jobs", "cronjobs"] };
const SERVICE_RULE: ResourceRule = { apiGroups: [""], apiVersions: ["v1"], operations: OPERATIONS, resources: ["services"] };
const MONITOR_RULE: ResourceRule = { apiGroups: ["monitoring.coreos.com"], apiVersions: ["v1"], operations: OPERATIONS, resources: ["servicemonitors", "podmonitors"] };

/**
 * Conditions under which a request is checked at all. An object being deleted is let through (removing a finalizer
 * of an old, non-compliant object must never be refused), and so is an update that leaves the spec alone (labels,
 * annotations, owner references): only what changes what runs is judged.
 */
const MATCH_CONDITIONS: readonly CelVariable[] = [
  { name: "not-being-deleted", expression: "!has(object.metadata.deletionTimestamp)" },
  { name: "spec-created-or-changed", expression: "request.operation != 'UPDATE' || object.spec != oldObject.spec" },
];

/**
 * The pod spec wherever the kind keeps it. `dyn` because one expression serves several kinds: the API server's type
 * check would otherwise warn that a Pod has no `spec.template`.
 */
const POD_VARIABLES: readonly CelVariable[] = [
  {
    name: "podSpec",
    expression:
      "object.kind == 'Pod' ? dyn(object.spec) : object.kind == 'CronJob' ? dyn(object).spec.jobTemplate.spec.template.spec : dyn(object).spec.template.spec",
  },
  { name: "containers", expression: "variables.podSpec.containers" },
  { name: "initContainers", expression: "has(variables.podSpec.initContainers) ? variables.podSpec.initContainers : []" },
  { name: "ephemeralContainers", expression: "has(variables.podSpec.ephemeralContainers) ? variables.podSpec.ephemeralContainers : []" },
  { name: "allContainers", expression: "variables.containers + variables.initContainers + variables.ephemeralContainers" },
];

/** CEL that is true for the named workload's own object, its ReplicaSets and its pods (by owner), in its namespace. */
export function workloadExemptionExpression(w: WorkloadExemption): string {
  const ns = celString(w.namespace);
  const name = celString(w.name);
  const ownedBy = (kind: string, nameTest: string) =>
    `object.kind == 'Pod' && has(object.metadata.ownerReferences) && object.metadata.ownerReferences.exists(r, r.kind == '${kind}' && ${nameTest})`;
  const parts = [`object.kind == ${celString(w.kind)} && object.metadata.name == ${name}`];
  if (w.kind === "Deployment") {
    // A Deployment's ReplicaSets are `<name>-<pod-template-hash>`; its pods are owned by those.
    const rsName = celString(`^${re2Literal(w.name)}-[a-z0-9]+$`);
    parts.push(`object.kind == 'ReplicaSet' && object.metadata.name.matches(${rsName})`, ownedBy("ReplicaSet", `r.name.matches(${rsName})`));
  } else {
    parts.push(ownedBy(w.kind, `r.name == ${name}`));
  }
  return `request.namespace == ${ns} && (${celAny(parts)})`;
}

function exemptVariable(key: PodPolicyKey, exemptions: readonly WorkloadExemption[], also: readonly string[] = []): CelVariable {
  return { name: "exempt", expression: celAny([...also, ...exemptions.filter((w) => w.policies.includes(key)).map(workloadExemptionExpression)]) };
}

/** A validation that holds for exempt workloads and otherwise when `check` holds. */
function rule(check: string, message: string, offender: string | undefined, reason: CelValidation["reason"] = "Forbidden"): CelValidation {
  return {
    expression: `variables.exempt || (${check})`,
    message,
    ...(offender ? { messageExpression: `${celString(`${message}: `)} + ${offender}` } : {}),
    reason,
  };
}

/** The name of the first container of `list` for which `bad` holds (only evaluated when some container is bad). */
function firstOffender(list: string, bad: string): string {
  return `'container ' + ${list}.filter(c, ${bad})[0].name`;
}

/** Every policy, rendered with the environment's parameters. */
export function admissionPolicyDefinitions(params: AdmissionPolicyParameters): AdmissionPolicyDefinition[] {
  const exemptions = params.exemptWorkloads ?? [];
  const allRules = [POD_RULE, EPHEMERAL_RULE, ...LONG_RUNNING_TEMPLATE_RULES, JOB_TEMPLATE_RULE];
  const noEphemeralRules = [POD_RULE, ...LONG_RUNNING_TEMPLATE_RULES, JOB_TEMPLATE_RULE];
  const base = (key: AdmissionPolicyKey) => ({ key, name: ADMISSION_POLICY_NAMES[key], matchConditions: MATCH_CONDITIONS });
  const vars = (key: PodPolicyKey, extra: readonly CelVariable[] = [], also: readonly string[] = []) => [...POD_VARIABLES, ...extra, exemptVariable(key, exemptions, also)];
  const platformNamespaces = params.platformNamespaces ?? [];

  const privileged = "has(c.securityContext) && has(c.securityContext.privileged) && c.securityContext.privileged == true";
  const badTag = "!(c.image.matches('@sha256:[0-9a-f]{64}$') || (c.image.matches(':[^/:@]+$') && !c.image.endsWith(':latest')))";
  const repositories = params.allowedRepositories ?? [];
  const fromRegistry = `${celStringList(params.allowedRegistries)}.exists(r, c.image.startsWith(r + '/'))`;
  const foreign = repositories.length === 0
    ? `!${fromRegistry}`
    : `!(${fromRegistry} || ${celStringList(repositories.map(repositoryImagePattern))}.exists(p, c.image.matches(p)))`;
  const allowedSources = [...params.allowedRegistries, ...repositories.map((r) => `${r} (repository)`)].join(", ");
  const noMemoryLimit = "!(has(c.resources) && has(c.resources.limits) && 'memory' in c.resources.limits)";
  const systemRole = celString(NODE_ROLES.system);
  const roleLabel = celString(NODE_ROLE_LABEL);
  const wildcardToleration = "t.operator == 'Exists' && (!has(t.key) || t.key == '')";
  const systemToleration = `has(t.key) && t.key in ${celStringList(SYSTEM_TAINT_KEYS)}`;
  const systemAffinityTerm =
    `has(t.matchExpressions) && t.matchExpressions.exists(e, e.key == ${roleLabel} && (e.operator == 'Exists' || (e.operator == 'In' && has(e.values) && ${systemRole} in e.values)))`;
  const placementMessage = `only the platform's namespaces (${platformNamespaces.join(", ") || "none"}) run on the system nodes or with a system PriorityClass`;
  const meshLabel = celString(MESH_INJECTION_LABEL);
  const meshEnabled = celString(meshNamespaceLabels("sidecar")[MESH_INJECTION_LABEL]!);
  const injectKey = celString(SIDECAR_INJECT_KEY);
  const exclusions = celStringList(SIDECAR_CAPTURE_EXCLUSIONS);
  const inclusions = Object.entries(SIDECAR_CAPTURE_INCLUSIONS);
  const badInclusion = celAny(inclusions.map(([k, allowed]) => `(${celString(k)} in variables.annotations && !(variables.annotations[${celString(k)}] in ${celStringList(allowed)}))`));
  const inclusionOffender = inclusions.reduceRight(
    (rest, [k, allowed]) => `${celString(k)} in variables.annotations && !(variables.annotations[${celString(k)}] in ${celStringList(allowed)}) ? ${celString(k)} : ${rest}`,
    "''",
  );
  const injectOff = (map: string) => `${injectKey} in ${map} && !(${map}[${injectKey}] in ${celStringList(SIDECAR_INJECT_ALLOWED_VALUES)})`;
  const meshMessage = `in a namespace labelled ${MESH_INJECTION_LABEL}=${meshNamespaceLabels("sidecar")[MESH_INJECTION_LABEL]} every pod runs in the mesh`;
  const platformNamespace = platformNamespaces.length > 0 ? `request.namespace in ${celStringList(platformNamespaces)}` : "false";
  const fileField = (f: string) => {
    const parts = f.split(".");
    const path = (n: number) => ["e", ...parts.slice(0, n)].join(".");
    return `(${parts.map((_, i) => `has(${path(i + 1)})`).join(" && ")} && ${path(parts.length)} != '')`;
  };
  const fileReference = MONITOR_FILE_FIELDS.map(fileField).join(" || ");
  const monitorMessage = `outside the platform's namespaces (${platformNamespaces.join(", ") || "none"}) a monitor scrapes its own namespace only`;
  const exposedMessage = `Services of type ${EXPOSING_SERVICE_TYPES.join(" or ")} are only allowed in ${EXPOSED_SERVICE_NAMESPACES.join(", ")}: expose through the ingress gateway`;

  return [
    {
      ...base("privilegedContainers"),
      description: "No privileged container (regular, init or ephemeral): a privileged container is root on the node.",
      resourceRules: allRules,
      variables: vars("privilegedContainers"),
      validations: [rule(`!variables.allContainers.exists(c, ${privileged})`, "privileged containers are not allowed", firstOffender("variables.allContainers", privileged))],
    },
    {
      ...base("hostNamespaces"),
      description: "No pod shares the node's network, process or IPC namespace.",
      resourceRules: noEphemeralRules,
      variables: vars("hostNamespaces"),
      validations: (["hostNetwork", "hostPID", "hostIPC"] as const).map((field) =>
        rule(`!has(variables.podSpec.${field}) || variables.podSpec.${field} == false`, `spec.${field} is not allowed: the pod would share the node's ${field.slice(4)} namespace`, undefined),
      ),
    },
    {
      ...base("imageTags"),
      description: "Every image names a version: a tag other than `latest`, or a digest.",
      resourceRules: allRules,
      variables: vars("imageTags"),
      validations: [
        rule(`!variables.allContainers.exists(c, ${badTag})`, "images need a tag other than latest, or a digest", `${firstOffender("variables.allContainers", badTag)} + ' runs ' + variables.allContainers.filter(c, ${badTag})[0].image`),
      ],
    },
    {
      ...base("allowedRegistries"),
      description: "Every image comes from an allowed registry (a host and optional repository path, matched on a path boundary) or is an allowed repository (matched exactly, by tag or digest).",
      resourceRules: allRules,
      variables: vars("allowedRegistries"),
      validations: [
        rule(
          `!variables.allContainers.exists(c, ${foreign})`,
          `images must come from an allowed registry (${allowedSources})`,
          `${firstOffender("variables.allContainers", foreign)} + ' runs ' + variables.allContainers.filter(c, ${foreign})[0].image`,
        ),
      ],
    },
    {
      ...base("resourceLimits"),
      description: "Every regular and init container sets a memory limit (ephemeral containers cannot have resources).",
      resourceRules: noEphemeralRules,
      variables: vars("resourceLimits"),
      validations: [
        rule(
          `!(variables.containers + variables.initContainers).exists(c, ${noMemoryLimit})`,
          "containers need resources.limits.memory",
          firstOffender("(variables.containers + variables.initContainers)", noMemoryLimit),
          "Invalid",
        ),
      ],
    },
    {
      ...base("probes"),
      description:
        "Every regular container of a long-running pod (restartPolicy Always, the default) has a readiness and a liveness probe. Init containers and run-to-completion pods (Jobs, CronJobs, restartPolicy Never or OnFailure) are not checked.",
      // Jobs and CronJobs are not matched at all: their pods run to completion and must not be probed for liveness.
      resourceRules: [POD_RULE, ...LONG_RUNNING_TEMPLATE_RULES],
      variables: vars("probes", [{ name: "longRunning", expression: "!has(variables.podSpec.restartPolicy) || variables.podSpec.restartPolicy == 'Always'" }]),
      validations: REQUIRED_PROBES.map((probe) => {
        const exempt = (params.probeExemptContainers ?? []).filter((c) => c.probes.includes(probe)).map(probeExemptCondition);
        const missing = exempt.length > 0 ? `!has(c.${probe}) && !(${exempt.join(" || ")})` : `!has(c.${probe})`;
        return rule(`!variables.longRunning || !variables.containers.exists(c, ${missing})`, `long-running containers need a ${probe}`, firstOffender("variables.containers", missing), "Invalid");
      }),
    },
    {
      ...base("systemPlacement"),
      description:
        `Outside the platform's namespaces, no pod takes a system PriorityClass (${SYSTEM_PRIORITY_CLASSES.join(", ")}), tolerates every taint (a key-less Exists) or the system node group's (${SYSTEM_TAINT_KEYS.join(", ")}), or selects the system nodes (${NODE_ROLE_LABEL}=${NODE_ROLES.system}) by node selector or required node affinity: such a pod would preempt or crowd out the platform's controllers.`,
      resourceRules: noEphemeralRules,
      variables: vars(
        "systemPlacement",
        [{ name: "tolerations", expression: "has(variables.podSpec.tolerations) ? variables.podSpec.tolerations : []" }],
        platformNamespaces.length > 0 ? [`request.namespace in ${celStringList(platformNamespaces)}`] : [],
      ),
      validations: [
        rule(
          `!has(variables.podSpec.priorityClassName) || !(variables.podSpec.priorityClassName in ${celStringList(SYSTEM_PRIORITY_CLASSES)})`,
          `spec.priorityClassName: ${placementMessage}`,
          "'priority class ' + variables.podSpec.priorityClassName",
        ),
        rule(`!variables.tolerations.exists(t, ${wildcardToleration})`, `spec.tolerations: a toleration of every taint (operator Exists without a key) is not allowed: ${placementMessage}`, undefined),
        rule(`!variables.tolerations.exists(t, ${systemToleration})`, `spec.tolerations: ${placementMessage}`, `'taint ' + variables.tolerations.filter(t, ${systemToleration})[0].key`),
        rule(
          `!(has(variables.podSpec.nodeSelector) && ${roleLabel} in variables.podSpec.nodeSelector && variables.podSpec.nodeSelector[${roleLabel}] == ${systemRole})`,
          `spec.nodeSelector ${NODE_ROLE_LABEL}=${NODE_ROLES.system}: ${placementMessage}`,
          undefined,
        ),
        rule(
          "!(has(variables.podSpec.affinity) && has(variables.podSpec.affinity.nodeAffinity) && has(variables.podSpec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution)" +
            ` && variables.podSpec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.exists(t, ${systemAffinityTerm}))`,
          `spec.affinity.nodeAffinity requires ${NODE_ROLE_LABEL}=${NODE_ROLES.system}: ${placementMessage}`,
          undefined,
        ),
      ],
    },
    {
      ...base("meshBypass"),
      description: `In a namespace labelled ${MESH_INJECTION_LABEL}=enabled, no pod turns its sidecar off (${SIDECAR_INJECT_KEY} other than true, as annotation or label) or takes traffic out of the sidecar's capture (${SIDECAR_CAPTURE_EXCLUSIONS.join(", ")}, or ${Object.keys(SIDECAR_CAPTURE_INCLUSIONS).join(", ")} with a value other than the default capture): such traffic skips mTLS, authorization and telemetry.`,
      resourceRules: noEphemeralRules,
      variables: vars("meshBypass", [
        {
          name: "meshed",
          expression: `namespaceObject != null && has(namespaceObject.metadata.labels) && ${meshLabel} in namespaceObject.metadata.labels && namespaceObject.metadata.labels[${meshLabel}] == ${meshEnabled}`,
        },
        {
          name: "podMetadata",
          expression:
            "object.kind == 'Pod' ? dyn(object.metadata) : object.kind == 'CronJob' ? (has(dyn(object).spec.jobTemplate.spec.template.metadata) ? dyn(object).spec.jobTemplate.spec.template.metadata : dyn({})) : (has(dyn(object).spec.template.metadata) ? dyn(object).spec.template.metadata : dyn({}))",
        },
        { name: "annotations", expression: "has(variables.podMetadata.annotations) ? variables.podMetadata.annotations : dyn({})" },
        { name: "labels", expression: "has(variables.podMetadata.labels) ? variables.podMetadata.labels : dyn({})" },
      ]),
      validations: [
        rule(
          `!variables.meshed || !(${injectOff("variables.annotations")} || ${injectOff("variables.labels")})`,
          `${SIDECAR_INJECT_KEY} may only be true: ${meshMessage}`,
          undefined,
        ),
        rule(
          `!variables.meshed || !${exclusions}.exists(k, k in variables.annotations && variables.annotations[k] != '')`,
          `annotations that exclude traffic from the sidecar are not allowed: ${meshMessage}`,
          `'annotation ' + ${exclusions}.filter(k, k in variables.annotations && variables.annotations[k] != '')[0]`,
        ),
        rule(
          `!variables.meshed || !(${badInclusion})`,
          `annotations that narrow the sidecar's capture are not allowed (${inclusions.map(([k, a]) => `${k.replace("traffic.sidecar.istio.io/", "")} may only be ${a.map((v) => JSON.stringify(v)).join(" or ")}`).join(", ")}): ${meshMessage}`,
          `'annotation ' + (${inclusionOffender})`,
        ),
      ],
    },
    {
      ...base("hostPathVolumes"),
      description:
        "No pod mounts a hostPath volume: a path on the node is the node's files (kubelet credentials, the container runtime's socket, other pods' volumes), whatever the container's own privileges. Pod Security restricted refuses it too; this holds in namespaces with a weaker level.",
      resourceRules: noEphemeralRules,
      variables: vars("hostPathVolumes", [{ name: "volumes", expression: "has(variables.podSpec.volumes) ? variables.podSpec.volumes : []" }]),
      validations: [
        rule(
          "!variables.volumes.exists(v, has(v.hostPath))",
          "hostPath volumes are not allowed: they expose the node's files to the pod",
          "'volume ' + variables.volumes.filter(v, has(v.hostPath))[0].name + ' mounts ' + variables.volumes.filter(v, has(v.hostPath))[0].hostPath.path",
        ),
      ],
    },
    {
      ...base("serviceExposure"),
      description: `No Service sets spec.externalIPs (kube-proxy would hand it traffic for addresses it does not own, CVE-2020-8554); LoadBalancer and NodePort Services only in ${EXPOSED_SERVICE_NAMESPACES.join(", ")}.`,
      resourceRules: [SERVICE_RULE],
      // No workload owns a Service, so no workload exemption applies (POD_POLICY_KEYS): no `exempt`.
      variables: [],
      validations: [
        {
          expression: "!has(object.spec.externalIPs) || size(object.spec.externalIPs) == 0",
          message: "spec.externalIPs is not allowed: kube-proxy would send this Service the traffic meant for those addresses, whoever owns them",
          messageExpression: `${celString("spec.externalIPs is not allowed: kube-proxy would send this Service the traffic meant for those addresses, whoever owns them: address ")} + object.spec.externalIPs[0]`,
          reason: "Forbidden",
        },
        {
          expression: `!has(object.spec.type) || !(object.spec.type in ${celStringList(EXPOSING_SERVICE_TYPES)}) || request.namespace in ${celStringList(EXPOSED_SERVICE_NAMESPACES)}`,
          message: exposedMessage,
          messageExpression: `${celString(`${exposedMessage}: type `)} + object.spec.type`,
          reason: "Forbidden",
        },
      ],
    },
    {
      ...base("monitorScope"),
      description: `Outside the platform's namespaces, a ServiceMonitor or PodMonitor selects targets in its own namespace only (no namespaceSelector any or other namespaces' names: Prometheus would scrape them and label their series with the monitor's namespace) and a ServiceMonitor names no file of the Prometheus container (${MONITOR_FILE_FIELDS.join(", ")}: Prometheus would send its service-account token or keys to the team's endpoint).`,
      resourceRules: [MONITOR_RULE],
      // No workload owns a monitor: no workload exemption, only the platform's namespaces (whose monitors span the cluster).
      variables: [{ name: "platform", expression: platformNamespace }],
      validations: [
        {
          expression:
            "variables.platform || !has(object.spec.namespaceSelector) || ((!has(object.spec.namespaceSelector.any) || object.spec.namespaceSelector.any == false) && (!has(object.spec.namespaceSelector.matchNames) || object.spec.namespaceSelector.matchNames.all(n, n == request.namespace)))",
          message: `spec.namespaceSelector may only name the monitor's own namespace: ${monitorMessage}`,
          reason: "Forbidden",
        },
        {
          expression: `variables.platform || object.kind != 'ServiceMonitor' || !has(object.spec.endpoints) || !object.spec.endpoints.exists(e, ${fileReference})`,
          message: `spec.endpoints may not name files of the Prometheus container (${MONITOR_FILE_FIELDS.join(", ")}); take credentials from a Secret of the namespace (authorization, basicAuth, tlsConfig.ca/cert/keySecret)`,
          reason: "Forbidden",
        },
      ],
    },
  ];
}
