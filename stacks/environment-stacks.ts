import { Construct } from "constructs";
import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import type { EnvironmentConfig } from "../lib/config/environment-schema";
import type { PrometheusRuleObject } from "../lib/slo/emit";
import type { CompileResult } from "../lib/slo/compile";
import { ClusterStack } from "./cluster-stack";
import { NetworkStack } from "./network-stack";
import { ObservabilityResourcesStack } from "./observability-resources-stack";
import { ObservabilityStack } from "./observability-stack";
import { PlatformResourcesStack } from "./platform-resources-stack";
import { PlatformStack } from "./platform-stack";
import { SecurityResourcesStack } from "./security-resources-stack";
import { SecurityStack } from "./security-stack";
import { StorageStack } from "./storage-stack";
import { EnvironmentAddons } from "./addon-layer";
import { addonConfigProblems } from "./addon-config";
import { ConfigError } from "../lib/config/validate-environment";
import type { AddonArtifacts } from "../constructs/addons/registry";
import { compileEnvironmentSlos } from "./slo-artifacts";
import { alertmanagerBuildOptions } from "./observability-artifacts";
import { inClusterPrometheusRule } from "../lib/observability/managed-prometheus/in-cluster";

/** The stacks of one environment, in deployment order, by layer name. */
export interface EnvironmentStacks {
  readonly network: NetworkStack;
  readonly cluster: ClusterStack;
  readonly storage: StorageStack;
  readonly platform: PlatformStack;
  readonly "platform-resources": PlatformResourcesStack;
  readonly security: SecurityStack;
  readonly "security-resources": SecurityResourcesStack;
  readonly observability: ObservabilityStack;
  readonly "observability-resources": ObservabilityResourcesStack;
}

/** What the synth generates for an environment besides its configuration (SLO rules, alert routing, dashboards). */
export interface EnvironmentArtifacts {
  /** @default - alerts go to a receiver that notifies no one */
  readonly alertmanagerConfig?: Readonly<Record<string, unknown>>;
  /** @default {} */
  readonly dashboards?: Readonly<Record<string, string>>;
  /** @default [] */
  readonly prometheusRules?: ReadonlyArray<IPrometheusRule | PrometheusRuleObject>;
  /** The environment's compiled SLOs (chaos probes and canary analysis are compiled from them). @default - compiled from `slo.specs` on first use */
  readonly slos?: CompileResult;
}

/**
 * Builds every layer of an environment. Values cross stacks only as cdktf cross-stack references (outputs and remote
 * state that cdktf writes) or explicit stack dependencies (a custom resource's stack on its CRD's), which together tell
 * `cdktf deploy '<env>-*'` the order.
 */
export function buildEnvironment(scope: Construct, config: EnvironmentConfig, artifacts: EnvironmentArtifacts = {}): EnvironmentStacks {
  return buildEnvironmentWithAddons(scope, config, artifacts).stacks;
}

/** {@link buildEnvironment}, also returning the environment's built add-ons (by registry descriptor). */
export function buildEnvironmentWithAddons(scope: Construct, config: EnvironmentConfig, artifacts: EnvironmentArtifacts = {}): { stacks: EnvironmentStacks; addons: EnvironmentAddons } {
  // What the registry requires of the configuration, before anything is built.
  const problems = addonConfigProblems(config);
  if (problems.length > 0) throw new ConfigError(new Map([[config.name, problems]]));
  const network = new NetworkStack(scope, config);
  const cluster = new ClusterStack(scope, config, network.network);
  const efsRoles = cluster.cluster.managedAddons.efsCsiRoles;
  const efsCsiRoleNames = efsRoles ? { controller: efsRoles.controller.role.name, node: efsRoles.node.role.name } : undefined;
  // The Network's own subnet plan (plain strings): control-plane ENIs for the Kubernetes API, node subnets for the kubelet,
  // the VPC (left out of the internet) and the interface endpoints' subnets.
  const controlPlaneCidrs = network.network.intraSubnetCidrs.length > 0 ? network.network.intraSubnetCidrs : network.network.privateSubnetCidrs;
  const subnets = {
    controlPlaneCidrs,
    nodeCidrs: network.network.privateSubnetCidrs,
    vpcCidrs: [network.network.vpcCidrBlock],
    endpointCidrs: [...network.network.interfaceEndpointSubnetCidrs],
  };
  const storage = new StorageStack(scope, config, network.network, cluster.cluster, efsCsiRoleNames);
  const addons = new EnvironmentAddons(
    config,
    {
      nodeRoleArn: cluster.cluster.nodeRoleArn,
      nodeRoleName: cluster.cluster.nodeRole.role.name,
      volumeKmsKeyArn: cluster.cluster.volumeKmsKeyArn,
      efsFileSystemId: storage.storage.efs?.fileSystemId,
      tracesBucket: storage.storage.tracesBucket && storage.storage.tracesKey
        ? { bucketName: storage.storage.tracesBucket.bucketId, bucketArn: storage.storage.tracesBucket.bucketArn, keyArn: storage.storage.tracesKey.keyArn }
        : undefined,
      backups: { bucketName: storage.storage.backupsBucket.bucketId, bucketArn: storage.storage.backupsBucket.bucketArn, keyArn: storage.storage.backupsKey.keyArn },
    },
    addonArtifacts(config, artifacts),
  );
  const platform = new PlatformStack(scope, config, { cluster: cluster.cluster, addons, subnets });
  platform.addDependency(storage);
  const platformResources = new PlatformResourcesStack(scope, config, { cluster: cluster.cluster, platform, addons, subnets });
  const security = new SecurityStack(scope, config, { cluster: cluster.cluster, platformResources, addons, subnets });
  const securityResources = new SecurityResourcesStack(scope, config, { cluster: cluster.cluster, security, addons });
  const observability = new ObservabilityStack(scope, config, { cluster: cluster.cluster, platformResources, securityResources, addons });
  const observabilityResources = new ObservabilityResourcesStack(scope, config, {
    cluster: cluster.cluster,
    observability,
    // With Amazon Managed Prometheus on, the workspace evaluates the SLO alerts and pages; the cluster keeps their
    // recording rules for its dashboards and no alert of its own (no double pages).
    prometheusRules: config.observability.managedPrometheus?.enabled === true ? artifacts.prometheusRules?.map(inClusterPrometheusRule) : artifacts.prometheusRules,
    addons,
  });
  // Even with no custom resource yet, the layer keeps its place in the order.
  observabilityResources.addDependency(observability);
  const stacks = { network, cluster, storage, platform, "platform-resources": platformResources, security, "security-resources": securityResources, observability, "observability-resources": observabilityResources };
  return { stacks, addons };
}

/** The artifacts add-ons read; the SLOs are compiled only if an add-on asks for them and the caller passed none. */
function addonArtifacts(config: EnvironmentConfig, artifacts: EnvironmentArtifacts): AddonArtifacts {
  let slos = artifacts.slos;
  return {
    alertmanagerConfig: artifacts.alertmanagerConfig,
    dashboards: artifacts.dashboards,
    alertmanagerBuildOptions: alertmanagerBuildOptions(config),
    get slos(): CompileResult {
      slos ??= compileEnvironmentSlos(config).compiled;
      return slos;
    },
  };
}
