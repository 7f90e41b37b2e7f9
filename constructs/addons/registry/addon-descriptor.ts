import type { Construct } from "constructs";
import type { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import type { EnvironmentConfig } from "../../../lib/config/environment-schema";
import type { AdmissionConfig } from "../../../lib/config/security/admission";
import type { Layer, ReleaseLayer, ResourceLayer } from "../../../lib/platform/layers";
import type { ValidationProblem } from "../../../lib/problems";
import type { ICluster } from "../../cluster/cluster-types";
import type { IClusterAccess } from "../../cluster/cluster-access";
import type { SystemNodePlacement } from "../addon-types";
import type { CompileResult } from "../../../lib/slo/compile";
import type { AlertmanagerBuildOptions } from "../../../lib/observability/alertmanager/generate";

/**
 * What every add-on declares about itself, one typed object exported by its folder and listed once in
 * `ADDONS` (`./index.ts`). Everything cross-cutting — which layer builds it, the namespaces each layer's baseline
 * makes, the CRD schemas custom resources are checked against, the registries the admission policy allows, the
 * named admission exemptions, the workloads the hardening checks walk, the order of dependencies — is derived
 * from these objects, never from a second hand-kept list.
 */
export interface AddonDescriptor<T = unknown> {
  /** Kebab-case name, the add-on's folder (`constructs/addons/<name>/`). */
  readonly name: string;
  /** The layer whose stack installs the add-on's releases; its custom resources go into later `-resources` layers. */
  readonly layer: ReleaseLayer;
  /** One line for the README's add-on table. */
  readonly summary: string;
  /**
   * Where the add-on's settings live in an environment's configuration (a dotted path such as `security.falco`),
   * so problems are reported at the user's path.
   * @default - the add-on has no section of its own
   */
  readonly configPath?: string;
  /** The namespaces the add-on runs in that the platform baselines (Pod Security, default deny, quota). */
  readonly namespaces: readonly AddonNamespace[];
  /**
   * The CRDs its charts install, `apiVersion/kind` → schema file under `schemas/crds/` (the same object as the
   * chart's `HelmChartDefaults.crds`, so a custom resource is accepted only from the add-on that installs its kind).
   * @default {}
   */
  readonly crds?: Readonly<Record<string, string>>;
  /** Image repositories its charts run at their pinned versions (what the hardening checks admit). */
  readonly images: readonly string[];
  /** The narrowest allowed-registry entries that admit {@link images}: an organisation path, never a whole registry. */
  readonly registries: readonly string[];
  /**
   * Repository entries that admit {@link images} exactly, by tag or digest: for an organisation or personal namespace
   * the add-on takes a single image from, where a registry entry would admit everything else published there.
   * @default []
   */
  readonly repositories?: readonly string[];
  /**
   * Admission exemptions the add-on truly needs, each with its reason; merged into every environment's policy. A
   * function where they follow the add-on's configuration (chaos helper pods only where such experiments are set up).
   * @default - none
   */
  readonly admission?: AddonAdmission | ((config: EnvironmentConfig) => AddonAdmission);
  /** The workloads its charts render, for the hardening and admission checks. @default [] */
  readonly workloads?: readonly AddonWorkload[];
  /** Whether the environment runs the add-on (a named opt-out or a choice in its section). */
  readonly enabled: (config: EnvironmentConfig) => boolean;
  /**
   * Add-ons this one needs, checked before anything is built: an environment that enables this one without them
   * stops with a message naming what to enable.
   * @default []
   */
  readonly requires?: readonly AddonDescriptor<any>[];
  /**
   * The construct's own validator run on the props {@link build} would pass, before anything is built, with paths
   * from the environment's root (`security.falco.alertForwarding.replicas`): configuration and construct share one
   * model, checked once.
   * @default - the configuration schema's checks only
   */
  readonly validate?: (config: EnvironmentConfig) => ValidationProblem[];
  /** Builds the add-on in its layer's stack; the construct ids are the add-on's Terraform addresses. */
  readonly build: (ctx: AddonContext) => T;
  /** Custom resources the add-on contributes to later `-resources` layers (after the CRDs they need). @default [] */
  readonly resources?: readonly AddonResources<T>[];
}

/** A namespace an add-on runs in. */
export interface AddonNamespace {
  readonly name: string;
  /**
   * The layer whose baseline makes the namespace: the add-on's own layer, unless something must exist in it earlier
   * (the monitoring namespace holds Secrets synced in `platform-resources` before the monitoring stack starts).
   * @default - the add-on's layer
   */
  readonly createdIn?: Layer;
  /**
   * A Pod Security level weaker than `restricted` that the add-on's own section owns, with its reason (one home:
   * configuration may not set a second one under `security.namespaces.platform`).
   * @default - the level configured under `security.namespaces.platform.<name>`
   */
  readonly podSecurity?: {
    /** Where the level and reason are configured, e.g. `security.falco.podSecurity`. */
    readonly configPath: string;
    readonly of: (config: EnvironmentConfig) => { readonly level: "privileged" | "baseline"; readonly reason: string };
  };
}

/** Named admission exemptions, in the shape of `security.admission`. */
export interface AddonAdmission {
  /** @default [] */
  readonly exemptNamespaces?: AdmissionConfig["exemptNamespaces"];
  /** @default [] */
  readonly exemptWorkloads?: AdmissionConfig["exemptWorkloads"];
  /** @default [] */
  readonly probeExemptContainers?: AdmissionConfig["probeExemptContainers"];
}

/** Custom resources an add-on adds to a `-resources` layer. */
export interface AddonResources<T> {
  readonly layer: ResourceLayer;
  /**
   * Whether they include PrometheusRules or monitors the Prometheus operator must reconcile in the add-on's namespaces
   * (those of `observability-resources` do, unless they say otherwise: the chaos engines do not).
   * @default true
   */
  readonly monitors?: boolean;
  readonly build: (ctx: AddonContext, addon: T) => unknown;
}

/**
 * A container of a rendered workload: where its security context and resources sit in the chart values, or who
 * sets the context when no value can (an operator, a fixed template).
 */
export interface AddonContainer {
  readonly name: string;
  /** An image of the add-on's {@link AddonDescriptor.images}, with a tag. */
  readonly image: string;
  readonly securityContext: readonly string[] | { readonly setBy: string };
  readonly resources: readonly string[];
  /**
   * Hardening settings the container is known to lack, with the reason: the checks then expect exactly these to be
   * missing, so the exception is on record and must be removed once the gap is closed.
   * @default - none: fully hardened
   */
  readonly hardeningExceptions?: { readonly missing: readonly string[]; readonly reason: string };
}

/** A workload one of the add-on's releases renders, located in the release's values. */
export interface AddonWorkload {
  readonly kind: "Deployment" | "StatefulSet" | "DaemonSet" | "Job";
  /** The object's name as the chart renders it from the release name. */
  readonly name: string;
  readonly namespace: string;
  /** Which of the add-on's releases renders it (its `HelmAddon` construct path under the add-on). @default "Helm" */
  readonly release?: string;
  readonly podSecurityContext: readonly string[] | { readonly setBy: string };
  readonly containers: readonly AddonContainer[];
  /** Pod fields the chart sets that the values do not show (e.g. node-exporter's host namespaces). @default {} */
  readonly chartPodFields?: Readonly<Record<string, unknown>>;
}

/** What the layer stack hands an add-on to build with. */
export interface AddonContext {
  /** The layer's stack: the add-on's constructs go directly under it. */
  readonly scope: Construct;
  readonly layer: Layer;
  readonly config: EnvironmentConfig;
  readonly cluster: ICluster;
  /** How Terraform reaches the cluster from this stack. */
  readonly access: IClusterAccess;
  /** The system node group(s), derived from `cluster.nodeGroups`: where every controller runs. */
  readonly placement: SystemNodePlacement;
  /** Values of the lower layers (cross-stack references). */
  readonly lower: LowerLayerValues;
  /** What the synth generated for the environment (alert routing, dashboards). */
  readonly artifacts: AddonArtifacts;
  /** A namespace this layer's baseline made. */
  namespace(name: string): NamespaceV1;
  /** A registered add-on this one needs: its instance, or a synth-time error naming what to enable. */
  require<A>(addon: AddonDescriptor<A>): A;
  /** A registered add-on's instance, when the environment runs it. */
  find<A>(addon: AddonDescriptor<A>): A | undefined;
  /** The add-ons the environment runs, in registry order (what one add-on may derive from the others). */
  readonly enabled: readonly AddonDescriptor<any>[];
}

/** Values of the network, cluster and storage layers that add-ons use. */
export interface LowerLayerValues {
  /** Role of the managed node groups (Karpenter's nodes use it too). */
  readonly nodeRoleArn: string;
  readonly nodeRoleName: string;
  /** KMS key of node and persistent volumes. */
  readonly volumeKmsKeyArn: string;
  /** The EFS file system. @default - none (the environment has no EFS) */
  readonly efsFileSystemId?: string;
  /** The traces bucket (Tempo's backend) and its key. @default - none (the environment does not trace) */
  readonly tracesBucket?: { readonly bucketName: string; readonly bucketArn: string; readonly keyArn: string };
  /** The storage layer's backups bucket and its key (where Velero writes). @default - none */
  readonly backups?: { readonly bucketName: string; readonly bucketArn: string; readonly keyArn: string };
}

/** Generated inputs of the observability add-ons. */
export interface AddonArtifacts {
  /** @default - alerts go to a receiver that notifies no one */
  readonly alertmanagerConfig?: Readonly<Record<string, unknown>>;
  /** @default {} */
  readonly dashboards?: Readonly<Record<string, string>>;
  /** The environment's compiled SLOs (what chaos probes and canary analysis are compiled from). @default - none */
  readonly slos?: CompileResult;
  /**
   * How the environment's alert routing is built (priority dialects, team namespaces): the options of the in-cluster
   * Alertmanager's configuration, for another alert manager generated from the same routing (Amazon Managed Prometheus's).
   * @default {}
   */
  readonly alertmanagerBuildOptions?: AlertmanagerBuildOptions;
}

/**
 * A construct validator's problems at the configuration's path: `prefix` before each path, and a prop named otherwise
 * in the section (`renames`, prop path prefix → section path prefix) under its section name.
 */
export function atConfigPath(prefix: string, problems: readonly ValidationProblem[], renames: Readonly<Record<string, string>> = {}): ValidationProblem[] {
  return problems.map((p) => {
    const renamed = Object.entries(renames).find(([from]) => p.path === from || p.path.startsWith(`${from}.`) || p.path.startsWith(`${from}[`));
    const path = renamed ? `${renamed[1]}${p.path.slice(renamed[0].length)}` : p.path;
    return { ...p, path: path ? `${prefix}.${path}` : prefix };
  });
}
