/**
 * sre-platform: typed CDK for Terraform constructs for a hardened AWS EKS platform, the stacks that
 * compose them per environment, and the SLO-to-PromQL compiler.
 *
 *   import { Network, EksCluster, Storage, SloRules } from "sre-platform";
 *   import { loadSloFiles, compileSlos } from "sre-platform/slo";
 *
 * Every export here resolves provider classes through deep imports, so importing this entry point
 * costs only the resources the constructs use.
 */

// Constructs
export * from "./constructs/common/validation";
export * from "./constructs/common/kms-key";
export * from "./constructs/common/irsa-role";
export * from "./constructs/common/encrypted-topic";
export * from "./constructs/network";
export * from "./constructs/cluster";
export * from "./constructs/storage";
export * from "./constructs/addons";
export * from "./constructs/observability";
export * from "./constructs/kubernetes";
export * from "./constructs/security";
export * from "./constructs/cost";

// Stacks, for composing the platform's environments into another app
export * from "./stacks/environment-stack";
export * from "./stacks/network-stack";
export * from "./stacks/cluster-stack";
export * from "./stacks/storage-stack";
export * from "./stacks/platform-stack";
export * from "./stacks/environment-stacks";
export * from "./stacks/addon-layer";
export * from "./stacks/addon-config";
export * from "./stacks/bootstrap-stack";

// Framework-free libraries
export * from "./lib/config";
export * from "./lib/net";
export * from "./lib/eks/versions";
export * as slo from "./lib/slo";
