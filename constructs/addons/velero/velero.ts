import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { HelmAddon, HelmAddonProps, HelmChartDefaults, HelmReleaseOptions } from "../helm-addon";
import { ContainerResources, SystemNodePlacement } from "../addon-types";
import { resolvePlacement, validateSystemNodePlacement } from "../private/placement";
import { workloadValues } from "../private/workload-values";
import { arnContext } from "../../common/cluster-arn";
import { isUnresolved, requireProps, throwIfProblems, ValidationProblem } from "../../common/validation";
import { resolveWorkloadProfile, validateWorkloadProfile, WorkloadProfile } from "../../../lib/kubernetes/workload-profile";
import { hardenedContainerSecurityContext } from "../../../lib/kubernetes/security-context";
import { isDnsLabel } from "../../../lib/kubernetes/names";
import { BACKUP_CRON_RULE, parseBackupCron } from "../../../lib/backup/cron-interval";
import { VELERO_BUCKET_PREFIX, VELERO_LOCATION, veleroTtl } from "../../../lib/backup/backup-plan";
import { veleroStatements, VeleroStorageTarget } from "./velero-policy";

/** The namespace of the Velero server. */
export const VELERO_NAMESPACE = "velero";

/** Where Velero's images come from: Docker Hub's `velero` organisation (the chart's default). */
export const VELERO_IMAGE_REGISTRY = "docker.io/velero";

/** Velero's image tag: the chart's `appVersion`. */
export const VELERO_IMAGE_TAG = "v1.18.1";

/** The AWS plugin's tag: the v1.14 line is the one its compatibility table pairs with Velero 1.18. */
export const VELERO_AWS_PLUGIN_TAG = "v1.14.2";

/**
 * vmware-tanzu's `velero` chart 12.1.0 (Velero 1.18.1). Its Schedules, BackupStorageLocation and VolumeSnapshotLocation
 * are chart templates rendered from values, installed after the chart's `crds/` in the same release, so the platform
 * creates no Velero custom resource of its own and lists none here.
 * @see https://github.com/vmware-tanzu/helm-charts/tree/velero-12.1.0/charts/velero
 */
export const VELERO_DEFAULTS: HelmChartDefaults = {
  chart: "velero",
  repository: "https://vmware-tanzu.github.io/helm-charts",
  version: "12.1.0",
  namespace: VELERO_NAMESPACE,
  releaseName: "velero",
};

/** The server's service account, which the IRSA role trusts. */
export const VELERO_SERVICE_ACCOUNT = "velero";

/** The server's size when the caller gives none. */
export const VELERO_DEFAULT_RESOURCES: ContainerResources = { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } };

/** The plugin init container only copies a binary. */
export const VELERO_PLUGIN_RESOURCES: ContainerResources = { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } };

/** One schedule of {@link VeleroProps.schedules}. */
export interface VeleroSchedule {
  /** Five-field cron in UTC (day of month and month `*`). */
  readonly cron: string;
  /** Days each backup is kept. */
  readonly retentionDays: number;
  /** @default ["*"] */
  readonly includedNamespaces?: readonly string[];
  /** @default [] */
  readonly excludedNamespaces?: readonly string[];
  /** @default true */
  readonly snapshotVolumes?: boolean;
}

/** Props of {@link Velero}. */
export interface VeleroProps extends HelmAddonProps, HelmReleaseOptions {
  /** The backups bucket, its key and the volumes' key (the storage layer's). */
  readonly storage: VeleroStorageTarget & { readonly bucketName: string };
  /** Schedules by name; each becomes the Schedule `velero-<name>`. */
  readonly schedules: Readonly<Record<string, VeleroSchedule>>;
  /** @default { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } } */
  readonly resources?: ContainerResources;
  /** Keep the server on the system node group. @default - the `ON_DEMAND` capacity label and `CriticalAddonsOnly` toleration */
  readonly systemNodePlacement?: SystemNodePlacement;
}

/**
 * Velero with its AWS plugin: the cluster's objects into the backups bucket (SSE-KMS with the bucket's key) and EBS
 * snapshots of the persistent volumes, on the configured schedules, each backup kept for its retention. Credentials
 * come from IRSA only (`credentials.useSecret: false`): no access key exists to leak. No node agent (file-system backup
 * would need a privileged DaemonSet); no CRD-upgrade hook Job (it would run a second image with rights to rewrite CRDs):
 * a chart upgrade that changes the CRDs applies them first, as the README says.
 */
export class Velero extends Construct implements ITerraformDependable {
  public readonly addon: HelmAddon;
  public readonly resources: ContainerResources;
  public readonly schedules: Readonly<Record<string, VeleroSchedule>>;

  constructor(scope: Construct, id: string, props: VeleroProps) {
    super(scope, id);
    requireProps(this, props, { cluster: "an ICluster (EksCluster or EksCluster.fromClusterAttributes())", storage: "the backups bucket and keys: { bucketName, bucketArn, bucketKeyArn, volumeKeyArn }", schedules: "at least one schedule" });
    throwIfProblems(this.node.path, validateVeleroProps(props));
    this.resources = props.resources ?? VELERO_DEFAULT_RESOURCES;
    this.schedules = props.schedules;
    const ctx = arnContext(props.cluster.clusterArn);
    const placement = resolvePlacement(props.systemNodePlacement);
    const profile = resolveWorkloadProfile({ ...veleroProfile(props), placement });
    const location = VELERO_LOCATION;

    this.addon = new HelmAddon(this, "Helm", {
      ...props,
      defaults: VELERO_DEFAULTS,
      irsa: {
        serviceAccountName: VELERO_SERVICE_ACCOUNT,
        namePath: ["serviceAccount", "server", "name"],
        annotationsPath: ["serviceAccount", "server", "annotations"],
        statements: veleroStatements(ctx, props.storage),
      },
      chartValues: {
        ...workloadValues(profile, {
          resources: ["resources"],
          affinity: { path: ["affinity"] },
          tolerations: ["tolerations"],
          podSecurityContext: { path: ["podSecurityContext"] },
          containerSecurityContext: { path: ["containerSecurityContext"] },
        }),
        image: { repository: `${VELERO_IMAGE_REGISTRY}/velero`, tag: VELERO_IMAGE_TAG, pullPolicy: "IfNotPresent" },
        initContainers: [
          {
            name: "velero-plugin-for-aws",
            image: `${VELERO_IMAGE_REGISTRY}/velero-plugin-for-aws:${VELERO_AWS_PLUGIN_TAG}`,
            imagePullPolicy: "IfNotPresent",
            volumeMounts: [{ mountPath: "/target", name: "plugins" }],
            securityContext: hardenedContainerSecurityContext(),
            resources: { requests: { ...VELERO_PLUGIN_RESOURCES.requests }, limits: { ...VELERO_PLUGIN_RESOURCES.limits } },
          },
        ],
        // IRSA: the SDK reads the web identity token the EKS webhook mounts; no Secret, no key file.
        credentials: { useSecret: false },
        configuration: {
          backupStorageLocation: [
            {
              name: location,
              provider: "aws",
              bucket: props.storage.bucketName,
              prefix: VELERO_BUCKET_PREFIX,
              default: true,
              accessMode: "ReadWrite",
              config: { region: ctx.region, kmsKeyId: props.storage.bucketKeyArn },
            },
          ],
          volumeSnapshotLocation: [{ name: location, provider: "aws", config: { region: ctx.region } }],
          defaultBackupStorageLocation: location,
          defaultVolumeSnapshotLocations: `aws:${location}`,
        },
        schedules: Object.fromEntries(
          Object.entries(props.schedules).map(([name, s]) => [
            name,
            {
              schedule: s.cron,
              // Backups outlive the Schedule object: deleting a schedule must not delete what it took.
              useOwnerReferencesInBackup: false,
              template: {
                ttl: veleroTtl(s.retentionDays),
                includedNamespaces: [...(s.includedNamespaces ?? ["*"])],
                excludedNamespaces: [...(s.excludedNamespaces ?? [])],
                snapshotVolumes: s.snapshotVolumes ?? true,
                storageLocation: location,
                volumeSnapshotLocations: [location],
              },
            },
          ]),
        ),
        snapshotsEnabled: true,
        deployNodeAgent: false,
        upgradeCRDs: false,
        // The platform's own ServiceMonitor and rules scrape it (after the monitoring CRDs exist): VeleroMonitoring.
        metrics: { enabled: true, serviceMonitor: { enabled: false }, prometheusRule: { enabled: false } },
      },
    });
  }

  /** The CRDs its chart installs (none the platform creates objects of). */
  public get crds(): Readonly<Record<string, string>> {
    return this.addon.crds;
  }

  public get fqn(): string {
    return this.addon.fqn;
  }
}

/** Checks {@link VeleroProps} without building anything (the release is checked by `HelmAddon`). */
export function validateVeleroProps(props: Omit<VeleroProps, "cluster" | "storage"> & Partial<Pick<VeleroProps, "cluster" | "storage">>): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const schedules = Object.entries(props.schedules ?? {});
  if (schedules.length === 0) problems.push({ path: "schedules", value: props.schedules, allowed: "at least one schedule" });
  for (const [name, s] of schedules) {
    if (!isDnsLabel(name) || name.length > 56) problems.push({ path: `schedules.${name}`, value: name, allowed: "a schedule name: an RFC 1123 label of at most 56 characters (the Schedule is velero-<name>)" });
    if (!isUnresolved(s.cron) && parseBackupCron(s.cron) === undefined) problems.push({ path: `schedules.${name}.cron`, value: s.cron, allowed: BACKUP_CRON_RULE });
    if (!Number.isInteger(s.retentionDays) || s.retentionDays < 1) problems.push({ path: `schedules.${name}.retentionDays`, value: s.retentionDays, allowed: "a whole number of days, at least 1" });
  }
  problems.push(...validateWorkloadProfile("", veleroProfile(props), "the Velero server's pod"));
  problems.push(...validateSystemNodePlacement(props.systemNodePlacement));
  return problems;
}

/** One server (the chart runs exactly one: `replicas: 1`, `Recreate`), as nobody: a static binary writing only to its emptyDirs. */
function veleroProfile(props: Pick<VeleroProps, "resources">): WorkloadProfile {
  return { replicas: 1, resources: props.resources ?? VELERO_DEFAULT_RESOURCES };
}
