import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { RoleV1 } from "@cdktf/provider-kubernetes/lib/role-v1";
import { RoleBindingV1 } from "@cdktf/provider-kubernetes/lib/role-binding-v1";
import { ClusterRoleV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-v1";
import { ClusterRoleBindingV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-binding-v1";
import type { IClusterAccess } from "../../cluster/cluster-access";
import { CustomResource, type ICrdInstaller } from "../../kubernetes/custom-resource";
import { requireProps, throwIfProblems, type ValidationProblem } from "../../common/validation";
import { CHAOS_EXPERIMENTS, EXPERIMENT_DEFINITIONS, experimentEnv, GO_RUNNER_IMAGE, unionPermissions, type ChaosExperimentName, type ExperimentTunables, type PolicyRule } from "../../../lib/chaos/experiments";
import type { PromProbe } from "../../../lib/slo/steady-state";
import { isDnsLabel } from "../../../lib/kubernetes/names";
import { LITMUS_IMAGE_REGISTRY, LITMUS_IMAGE_TAG } from "./litmus";

/** The namespace the experiments run in: ChaosEngines, runners, experiment jobs and their helper pods. */
export const CHAOS_NAMESPACE = "litmus-chaos";

/** The go-runner image's own user (`litmus`, uid 2000); the image names it by name, so Kubernetes needs the number. */
export const GO_RUNNER_UID = 2000;

/** One workload chaos is run against, resolved: its engine's name, where it is, what runs and what judges it. */
export interface ChaosTarget {
  /** The ChaosEngine's name. */
  readonly name: string;
  /** The workload's namespace. */
  readonly namespace: string;
  readonly app: { readonly kind: "deployment" | "statefulset" | "daemonset" | "rollout"; readonly label: string };
  /** The experiments, run one after another, with their tunables (defaults: `EXPERIMENT_TUNABLE_DEFAULTS`). */
  readonly experiments: { readonly [K in ChaosExperimentName]?: ExperimentTunables[K] };
  /** The steady-state probes every experiment of the engine carries (compiled from the target service's SLOs). */
  readonly probes: readonly PromProbe[];
}

/** Props of {@link ChaosExperiments}. */
export interface ChaosExperimentsProps {
  /** The release that installs the Litmus CRDs (in an earlier stack). */
  readonly litmus: ICrdInstaller;
  /** @default - the stack's default Kubernetes provider */
  readonly access?: IClusterAccess;
  readonly targets: readonly ChaosTarget[];
  /**
   * Grant node-drain its cluster-wide rights (cordon nodes, evict any pod). Without it a target running node-drain is
   * refused.
   * @default false
   */
  readonly allowNodeDrain?: boolean;
  /** @default "litmus-chaos" */
  readonly namespace?: string;
  /** Objects of the same stack to create first (the namespace). @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The chaos experiments an environment runs: one ChaosExperiment per experiment in use (pinned, validated against the
 * CRD schema), a least-privilege chaos ServiceAccount per target namespace whose Roles are the union of the
 * `spec.definition.permissions` of the experiments run there (from the same table as the ChaosExperiments), a
 * ClusterRole for node-drain only where allowed, and one ChaosEngine per target carrying its SLO probes.
 *
 * Engines live in the chaos namespace (`appinfo.appns` names the target's), so the runner, the experiment jobs and
 * their privileged helper pods never run in a team's namespace and never get a sidecar (which would keep the jobs
 * from completing). They are created stopped (`engineState: stop`): applying the stack injects nothing; a run is
 * `engineState: active` (by hand or the schedule), and the operator sets it back to `stop` when the run completes.
 */
export class ChaosExperiments extends Construct {
  public readonly namespace: string;
  public readonly experiments: Readonly<Partial<Record<ChaosExperimentName, CustomResource>>>;
  /** By target namespace. */
  public readonly serviceAccounts: Readonly<Record<string, ServiceAccountV1>>;
  /** The Roles (the target's namespace and the chaos namespace) by target namespace. */
  public readonly roles: Readonly<Record<string, { readonly target: RoleV1; readonly chaos: RoleV1 }>>;
  public readonly nodeDrainRole?: ClusterRoleV1;
  /** By target name. */
  public readonly engines: Readonly<Record<string, CustomResource>>;

  constructor(scope: Construct, id: string, props: ChaosExperimentsProps) {
    super(scope, id);
    requireProps(this, props, { litmus: "the Litmus add-on (its release installs the CRDs)", targets: "the workloads chaos runs against (ChaosTarget[])" });
    throwIfProblems(this.node.path, validateChaosExperimentsProps(props));
    this.namespace = props.namespace ?? CHAOS_NAMESPACE;
    const provider = props.access?.kubernetesProvider;
    const dependsOn = props.dependsOn ?? [];
    const labels = { "app.kubernetes.io/part-of": "litmus", "app.kubernetes.io/managed-by": "sre-platform" };

    const used = CHAOS_EXPERIMENTS.filter((e) => props.targets.some((t) => t.experiments[e] !== undefined));
    const experiments: Partial<Record<ChaosExperimentName, CustomResource>> = {};
    for (const name of used) {
      experiments[name] = new CustomResource(this, `ChaosExperiment-${name}`, {
        manifest: chaosExperimentManifest(name, this.namespace),
        installedBy: props.litmus,
        access: props.access,
        dependsOn,
      });
    }
    this.experiments = experiments;

    const byNamespace = new Map<string, Set<ChaosExperimentName>>();
    for (const t of props.targets) {
      const set = byNamespace.get(t.namespace) ?? new Set<ChaosExperimentName>();
      for (const e of CHAOS_EXPERIMENTS) if (t.experiments[e] !== undefined) set.add(e);
      byNamespace.set(t.namespace, set);
    }
    const needsNodes = [...byNamespace.entries()].filter(([, set]) => set.has("node-drain")).map(([ns]) => ns);
    if (needsNodes.length > 0) {
      this.nodeDrainRole = new ClusterRoleV1(this, "NodeDrainClusterRole", {
        provider,
        metadata: { name: "sre-platform-chaos-node-drain", labels },
        rule: unionPermissions(["node-drain"], { clusterScoped: true }).map(toRule),
      });
    }
    const serviceAccounts: Record<string, ServiceAccountV1> = {};
    const roles: Record<string, { target: RoleV1; chaos: RoleV1 }> = {};
    for (const [ns, set] of [...byNamespace.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const name = chaosServiceAccountName(ns);
      const sa = new ServiceAccountV1(this, `ServiceAccount-${ns}`, {
        provider,
        metadata: { name, namespace: this.namespace, labels },
        // The runner and experiment pods mount its token; nothing else runs as it.
        automountServiceAccountToken: true,
        dependsOn,
      });
      serviceAccounts[ns] = sa;
      const rules = unionPermissions(set).map(toRule);
      const subject = [{ kind: "ServiceAccount", name, namespace: this.namespace }];
      // The same union in both namespaces: the experiment lists and deletes the target's pods in its namespace, and
      // starts its jobs, helper pods and results in the chaos namespace.
      const bind = (where: string, key: string) => {
        const role = new RoleV1(this, `Role-${ns}-${key}`, { provider, metadata: { name, namespace: where, labels }, rule: rules, dependsOn });
        new RoleBindingV1(this, `RoleBinding-${ns}-${key}`, {
          provider,
          metadata: { name, namespace: where, labels },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
          subject,
          dependsOn: [role],
        });
        return role;
      };
      roles[ns] = { target: bind(ns, "target"), chaos: bind(this.namespace, "chaos") };
      if (set.has("node-drain") && this.nodeDrainRole) {
        new ClusterRoleBindingV1(this, `NodeDrainBinding-${ns}`, {
          provider,
          metadata: { name: `sre-platform-chaos-node-drain-${ns}`, labels },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "sre-platform-chaos-node-drain" },
          subject,
          dependsOn: [this.nodeDrainRole, sa],
        });
      }
    }
    this.serviceAccounts = serviceAccounts;
    this.roles = roles;

    const engines: Record<string, CustomResource> = {};
    for (const t of props.targets) {
      engines[t.name] = new CustomResource(this, `ChaosEngine-${t.name}`, {
        manifest: chaosEngineManifest(t, this.namespace),
        installedBy: props.litmus,
        access: props.access,
        // A run turns the engine on and the operator off again: neither is a change for Terraform to undo.
        computedFields: ["spec.engineState"],
        dependsOn: [...dependsOn, serviceAccounts[t.namespace]!, ...CHAOS_EXPERIMENTS.filter((e) => t.experiments[e] !== undefined).map((e) => experiments[e]!)],
      });
    }
    this.engines = engines;
  }
}

/** A Litmus object as `CustomResource` takes it. */
export type ChaosManifest = Record<string, unknown> & { apiVersion: string; kind: string; metadata: { name: string; namespace: string; labels?: Record<string, string> } };

/** The chaos ServiceAccount of a target namespace (in the chaos namespace). */
export function chaosServiceAccountName(targetNamespace: string): string {
  return `chaos-${targetNamespace}`;
}

function toRule(r: PolicyRule): { apiGroups: string[]; resources: string[]; verbs: string[] } {
  return { apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] };
}

/** A Litmus 3 ChaosExperiment of the catalogue, pinned, in `namespace`. */
export function chaosExperimentManifest(name: ChaosExperimentName, namespace: string): ChaosManifest {
  const d = EXPERIMENT_DEFINITIONS[name];
  const version = { "app.kubernetes.io/part-of": "litmus", "app.kubernetes.io/version": LITMUS_IMAGE_TAG };
  return {
    apiVersion: "litmuschaos.io/v1alpha1",
    kind: "ChaosExperiment",
    metadata: { name, namespace, labels: { name, ...version, "app.kubernetes.io/component": "chaosexperiment" } },
    description: { message: d.description },
    spec: {
      definition: {
        scope: d.scope,
        permissions: d.permissions.map(toRule),
        image: GO_RUNNER_IMAGE,
        imagePullPolicy: "IfNotPresent",
        args: ["-c", `./experiments -name ${name}`],
        command: ["/bin/bash"],
        env: Object.entries(d.env).map(([k, v]) => ({ name: k, value: v })),
        labels: { name, ...version, "app.kubernetes.io/component": "experiment-job" },
        // The experiment pod itself talks only to the API server (and Prometheus, for the probes): the hardened context
        // but a writable root filesystem, which its shell and probe CLI may need and Litmus gives no volume to replace.
        securityContext: {
          podSecurityContext: { runAsNonRoot: true, runAsUser: GO_RUNNER_UID, runAsGroup: GO_RUNNER_UID, seccompProfile: { type: "RuntimeDefault" } },
          containerSecurityContext: { allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } },
        },
      },
    },
  };
}

/** The ChaosEngine of a target: stopped until a run turns it on, one entry per experiment, each with the probes. */
export function chaosEngineManifest(t: ChaosTarget, namespace: string): ChaosManifest {
  return {
    apiVersion: "litmuschaos.io/v1alpha1",
    kind: "ChaosEngine",
    metadata: { name: t.name, namespace, labels: { "app.kubernetes.io/part-of": "litmus", "app.kubernetes.io/managed-by": "sre-platform", "sre-platform.io/target-namespace": t.namespace } },
    spec: {
      engineState: "stop",
      appinfo: { appns: t.namespace, applabel: t.app.label, appkind: t.app.kind },
      chaosServiceAccount: chaosServiceAccountName(t.namespace),
      // Finished experiment jobs are removed; the verdict stays in the ChaosResult.
      jobCleanUpPolicy: "delete",
      components: { runner: { image: `${LITMUS_IMAGE_REGISTRY}/chaos-runner:${LITMUS_IMAGE_TAG}` } },
      experiments: CHAOS_EXPERIMENTS.filter((e) => t.experiments[e] !== undefined).map((e) => ({
        name: e,
        spec: {
          components: { env: experimentEnv(e, t.experiments[e] as never) },
          ...(t.probes.length > 0 ? { probe: t.probes.map((p) => ({ ...p })) } : {}),
        },
      })),
    },
  };
}

/** Checks {@link ChaosExperimentsProps} without building anything. */
export function validateChaosExperimentsProps(props: { readonly targets: readonly Omit<ChaosTarget, "probes">[] } & Pick<ChaosExperimentsProps, "allowNodeDrain" | "namespace">): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const seen = new Set<string>();
  props.targets.forEach((t, i) => {
    const at = `targets[${i}]`;
    if (!isDnsLabel(t.name)) problems.push({ path: `${at}.name`, value: t.name, allowed: "a ChaosEngine name (RFC 1123 label)" });
    if (seen.has(t.name)) problems.push({ path: `${at}.name`, value: t.name, allowed: "a name no other target has (one ChaosEngine each)" });
    seen.add(t.name);
    if (!isDnsLabel(t.namespace)) problems.push({ path: `${at}.namespace`, value: t.namespace, allowed: "a namespace name (RFC 1123 label)" });
    if (t.namespace === (props.namespace ?? CHAOS_NAMESPACE)) problems.push({ path: `${at}.namespace`, value: t.namespace, allowed: "a workload's namespace, not the chaos namespace" });
    if (!CHAOS_EXPERIMENTS.some((e) => t.experiments[e] !== undefined)) problems.push({ path: `${at}.experiments`, value: t.experiments, allowed: `at least one of ${CHAOS_EXPERIMENTS.join(", ")}` });
    if (t.experiments["node-drain"] !== undefined && !props.allowNodeDrain) {
      problems.push({ path: `${at}.experiments.node-drain`, value: "requested", allowed: "only where node-drain is allowed (nodeDrain.optIn with its reason): it cordons a node and evicts every pod on it" });
    }
  });
  return problems;
}
