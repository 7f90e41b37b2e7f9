/**
 * Add-ons: software the platform installs into a cluster, one folder each (`<name>/` with the construct,
 * its IAM policy and values, and a README), on the shared {@link HelmAddon} base or the Kubernetes
 * provider. Every add-on is handed the cluster's access ({@link IClusterAccess}) the same way.
 * EKS managed add-ons (vpc-cni, coredns, …) are part of the cluster: see `../cluster/eks-managed-addons`.
 */
export * from "./addon-types";
export { HelmAddon, validateHelmAddonConfig, IRSA_ROLE_ANNOTATION, isExactVersion } from "./helm-addon";
export type { HelmAddonConfig, HelmAddonIrsa, HelmAddonProps, HelmChartDefaults, HelmReleaseOptions } from "./helm-addon";
/** The monitors and alerts of an add-on's own monitoring construct, after the monitoring CRDs. */
export * from "./addon-monitoring";
export * from "./metrics-server";
export * from "./karpenter";
export * from "./cluster-autoscaler";
export * from "./node-autoscaling";
export * from "./storage-classes";
export * from "./kube-prometheus-stack";
export * from "./external-secrets";
export * from "./cert-manager";
export * from "./istio";
export * from "./falco";
export * from "./litmus";
export * from "./velero";
export * from "./argo-cd";
export * from "./argo-rollouts";
export * from "./fluent-bit";
export * from "./tempo";
export * from "./opentelemetry-collector";
export * from "./registry";
