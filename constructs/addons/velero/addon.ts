import { atConfigPath, type AddonDescriptor } from "../registry/addon-descriptor";
import { kubePrometheusStackAddon } from "../kube-prometheus-stack/addon";
import { ValidationError } from "../../common/validation";
import { Velero, validateVeleroProps, VELERO_AWS_PLUGIN_TAG, VELERO_IMAGE_REGISTRY, VELERO_IMAGE_TAG, VELERO_NAMESPACE } from "./velero";
import { VeleroMonitoring } from "./velero-monitoring";

/**
 * Velero (`backup.velero`): the cluster's objects and EBS volume snapshots into the storage layer's backups bucket on
 * the configured schedules, through IRSA. Where the environment has a `backup` section.
 */
export const veleroAddon: AddonDescriptor<Velero> = {
  name: "velero",
  layer: "platform",
  summary: "Velero with its AWS plugin: scheduled backups of the cluster's objects and EBS snapshots into the backups bucket, IRSA scoped to that bucket and Velero's snapshots",
  configPath: "backup.velero",
  namespaces: [{ name: VELERO_NAMESPACE }],
  images: [`${VELERO_IMAGE_REGISTRY}/velero`, `${VELERO_IMAGE_REGISTRY}/velero-plugin-for-aws`],
  registries: [VELERO_IMAGE_REGISTRY],
  workloads: [
    {
      kind: "Deployment",
      name: "velero",
      namespace: VELERO_NAMESPACE,
      podSecurityContext: ["podSecurityContext"],
      containers: [
        { name: "velero", image: `${VELERO_IMAGE_REGISTRY}/velero:${VELERO_IMAGE_TAG}`, securityContext: ["containerSecurityContext"], resources: ["resources"] },
        { name: "velero-plugin-for-aws", image: `${VELERO_IMAGE_REGISTRY}/velero-plugin-for-aws:${VELERO_AWS_PLUGIN_TAG}`, securityContext: ["initContainers", "0", "securityContext"], resources: ["initContainers", "0", "resources"] },
      ],
    },
  ],
  enabled: (config) => config.backup !== undefined,
  validate: (config) =>
    config.backup ? atConfigPath("backup.velero", validateVeleroProps({ schedules: config.backup.velero.schedules, resources: config.backup.velero.resources })) : [],
  build: (ctx) => {
    const backup = ctx.config.backup!;
    const storage = ctx.lower.backups;
    if (!storage) throw new ValidationError(ctx.scope.node.path, [{ path: "backup.velero", value: "on", allowed: "an environment whose storage layer has a backups bucket (LowerLayerValues.backups)" }]);
    return new Velero(ctx.scope, "Velero", {
      cluster: ctx.cluster,
      access: ctx.access,
      // The baseline made the namespace (restricted Pod Security, default-deny, quota) before the release lands in it.
      createNamespace: false,
      dependsOn: [ctx.namespace(VELERO_NAMESPACE)],
      storage: { bucketName: storage.bucketName, bucketArn: storage.bucketArn, bucketKeyArn: storage.keyArn, volumeKeyArn: ctx.lower.volumeKmsKeyArn },
      schedules: backup.velero.schedules,
      resources: backup.velero.resources,
      systemNodePlacement: ctx.placement,
    });
  },
  resources: [
    {
      layer: "observability-resources",
      build: (ctx, velero) =>
        new VeleroMonitoring(ctx.scope, "VeleroMonitoring", {
          velero,
          installedBy: ctx.require(kubePrometheusStackAddon),
          rpoHours: ctx.config.backup!.rpoHours,
          tiers: ctx.config.backup!.velero.alerts,
          access: ctx.access,
        }),
    },
  ],
};
