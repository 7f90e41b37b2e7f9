import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { RoleV1 } from "@cdktf/provider-kubernetes/lib/role-v1";
import { RoleBindingV1 } from "@cdktf/provider-kubernetes/lib/role-binding-v1";
import { CronJobV1 } from "@cdktf/provider-kubernetes/lib/cron-job-v1";
import type { IClusterAccess } from "../../cluster/cluster-access";
import type { ContainerResources, SystemNodePlacement } from "../addon-types";
import { requireProps, throwIfProblems, type ValidationProblem } from "../../common/validation";
import { hardenedContainerSecurityContext, hardenedPodSecurityContext } from "../../../lib/kubernetes/security-context";
import { CRON_SCHEDULE_RULE, isCronSchedule } from "../../../lib/kubernetes/cron";
import { GO_RUNNER_IMAGE } from "../../../lib/chaos/experiments";
import { CHAOS_NAMESPACE, GO_RUNNER_UID } from "./chaos-experiments";

/**
 * The scheduler's image: litmus-go's go-runner, which ships kubectl (`/usr/bin/kubectl`) and is already pulled, pinned
 * and admitted for the experiments. The Kubernetes project's own `registry.k8s.io/kubectl` sits at the root of
 * registry.k8s.io, so admitting it would mean admitting the whole registry (the admission policy matches registries on
 * a path boundary and takes organisation paths only).
 */
export const KUBECTL_IMAGE = GO_RUNNER_IMAGE;

/** The scheduler's name: its ServiceAccount, Role and RoleBinding. */
export const CHAOS_SCHEDULER_NAME = "chaos-scheduler";

/** One scheduled engine. */
export interface ChaosScheduleEntry {
  /** The ChaosEngine to turn on. */
  readonly engine: string;
  /** A CronJob schedule, in UTC. */
  readonly cron: string;
}

/** Props of {@link ChaosSchedule}. */
export interface ChaosScheduleProps {
  readonly schedules: readonly ChaosScheduleEntry[];
  /** Keep the scheduler's pods on the system nodes. */
  readonly systemNodePlacement: SystemNodePlacement;
  /** @default - the stack's default Kubernetes provider */
  readonly access?: IClusterAccess;
  /** @default "litmus-chaos" */
  readonly namespace?: string;
  /** @default { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } } */
  readonly resources?: ContainerResources;
  /** What to create first (the engines). @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Runs ChaosEngines on a schedule. litmus-core 3.x has no ChaosSchedule (it was ChaosCenter's), so a platform-owned
 * CronJob per schedule starts a run the way a person does: it sets the engine's `spec.engineState` to `active`, and
 * the operator sets it back to `stop` when the run completes. The engine's spec stays Terraform's (validated, with its
 * probes); the CronJob holds no copy of it. Least privilege: one ServiceAccount that may only `get` and `patch` the
 * scheduled engines, by name, in the chaos namespace. Hardened pods on the system nodes, no concurrent runs, UTC.
 */
export class ChaosSchedule extends Construct {
  public readonly serviceAccount: ServiceAccountV1;
  public readonly role: RoleV1;
  /** By engine name. */
  public readonly cronJobs: Readonly<Record<string, CronJobV1>>;

  constructor(scope: Construct, id: string, props: ChaosScheduleProps) {
    super(scope, id);
    requireProps(this, props, { schedules: "the engines to run and their cron schedules (ChaosScheduleEntry[])", systemNodePlacement: "the system node group's labels and taints" });
    throwIfProblems(this.node.path, validateChaosScheduleProps(props));
    const namespace = props.namespace ?? CHAOS_NAMESPACE;
    const provider = props.access?.kubernetesProvider;
    const labels = { "app.kubernetes.io/name": CHAOS_SCHEDULER_NAME, "app.kubernetes.io/part-of": "litmus", "app.kubernetes.io/managed-by": "sre-platform" };
    const dependsOn = props.dependsOn ?? [];
    this.serviceAccount = new ServiceAccountV1(this, "ServiceAccount", { provider, metadata: { name: CHAOS_SCHEDULER_NAME, namespace, labels }, dependsOn });
    this.role = new RoleV1(this, "Role", {
      provider,
      metadata: { name: CHAOS_SCHEDULER_NAME, namespace, labels },
      rule: [{ apiGroups: ["litmuschaos.io"], resources: ["chaosengines"], resourceNames: [...new Set(props.schedules.map((s) => s.engine))].sort(), verbs: ["get", "patch"] }],
      dependsOn,
    });
    new RoleBindingV1(this, "RoleBinding", {
      provider,
      metadata: { name: CHAOS_SCHEDULER_NAME, namespace, labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: CHAOS_SCHEDULER_NAME },
      subject: [{ kind: "ServiceAccount", name: CHAOS_SCHEDULER_NAME, namespace }],
      dependsOn: [this.role, this.serviceAccount],
    });
    const resources = props.resources ?? { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } };
    const placement = props.systemNodePlacement;
    const cronJobs: Record<string, CronJobV1> = {};
    for (const s of props.schedules) {
      cronJobs[s.engine] = new CronJobV1(this, `CronJob-${s.engine}`, {
        provider,
        metadata: { name: `chaos-${s.engine}`, namespace, labels },
        spec: {
          schedule: s.cron,
          timezone: "Etc/UTC",
          // A run still going (or a missed start older than five minutes) is not doubled up.
          concurrencyPolicy: "Forbid",
          startingDeadlineSeconds: 300,
          successfulJobsHistoryLimit: 1,
          failedJobsHistoryLimit: 3,
          jobTemplate: {
            metadata: { labels },
            spec: {
              backoffLimit: 2,
              activeDeadlineSeconds: 300,
              ttlSecondsAfterFinished: "86400",
              template: {
                metadata: { labels },
                spec: {
                  serviceAccountName: CHAOS_SCHEDULER_NAME,
                  restartPolicy: "Never",
                  securityContext: podContext(),
                  nodeSelector: { ...(placement.nodeLabels ?? {}) },
                  toleration: (placement.tolerations ?? []).map((t) => ({ key: t.key, operator: t.operator, value: t.value, effect: t.effect })),
                  container: [
                    {
                      name: "kubectl",
                      image: KUBECTL_IMAGE,
                      imagePullPolicy: "IfNotPresent",
                      command: ["kubectl"],
                      args: ["patch", "chaosengine", s.engine, "--namespace", namespace, "--type", "merge", "--patch", '{"spec":{"engineState":"active"}}', "--cache-dir", "/tmp/kube-cache"],
                      securityContext: containerContext(),
                      resources: { requests: { ...(resources.requests ?? {}) }, limits: { ...(resources.limits ?? {}) } },
                      volumeMount: [{ name: "tmp", mountPath: "/tmp" }],
                    },
                  ],
                  volume: [{ name: "tmp", emptyDir: { sizeLimit: "16Mi" } }],
                },
              },
            },
          },
        },
        dependsOn: [this.role, this.serviceAccount],
      });
    }
    this.cronJobs = cronJobs;
  }
}

function podContext() {
  const c = hardenedPodSecurityContext({ user: GO_RUNNER_UID, group: GO_RUNNER_UID });
  return { runAsNonRoot: c.runAsNonRoot, runAsUser: String(c.runAsUser), runAsGroup: String(c.runAsGroup), fsGroup: String(c.fsGroup), seccompProfile: { type: c.seccompProfile.type } };
}

function containerContext() {
  const c = hardenedContainerSecurityContext({ user: GO_RUNNER_UID, group: GO_RUNNER_UID });
  return {
    runAsNonRoot: c.runAsNonRoot,
    runAsUser: String(c.runAsUser),
    runAsGroup: String(c.runAsGroup),
    allowPrivilegeEscalation: c.allowPrivilegeEscalation,
    privileged: c.privileged,
    readOnlyRootFilesystem: c.readOnlyRootFilesystem,
    capabilities: { drop: [...c.capabilities.drop] },
    seccompProfile: { type: c.seccompProfile.type },
  };
}

/** Checks {@link ChaosScheduleProps} without building anything. */
export function validateChaosScheduleProps(props: Pick<ChaosScheduleProps, "schedules">): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  props.schedules.forEach((s, i) => {
    if (!isCronSchedule(s.cron)) problems.push({ path: `schedules[${i}].cron`, value: s.cron, allowed: CRON_SCHEDULE_RULE });
  });
  return problems;
}
