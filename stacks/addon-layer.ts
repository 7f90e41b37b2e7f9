import type { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import type { EnvironmentConfig } from "../lib/config/environment-schema";
import type { ValidationProblem } from "../lib/problems";
import { layerIndex } from "../lib/platform/layers";
import type { ICluster } from "../constructs/cluster/cluster-types";
import type { IClusterAccess } from "../constructs/cluster/cluster-access";
import { ValidationError } from "../constructs/common/validation";
import type { NamespaceBaseline } from "../constructs/kubernetes/namespace-baseline/namespace-baseline";
import { ADDONS, enabledAddons, type AddonArtifacts, type AddonContext, type AddonDescriptor, type LowerLayerValues } from "../constructs/addons/registry";
import type { EnvironmentStack } from "./environment-stack";
import type { NodeGroupConfig } from "../lib/config/environment-schema";
import { NODE_ROLE_LABEL, NODE_ROLES } from "../lib/kubernetes/labels";
import type { SystemNodePlacement, Toleration } from "../constructs/addons/addon-types";
import { GitOpsCatalog, type GitOpsEntry } from "../constructs/addons/gitops-delivery";
import { argoCdAddon } from "../constructs/addons/argo-cd/addon";
import { GitOpsClusterLabels, GitOpsClusterSecret } from "../constructs/addons/argo-cd/gitops-cluster-secret";
import { CustomResource } from "../constructs/kubernetes/custom-resource";
import { addonsAppProject } from "../lib/delivery/gitops-bridge";

/**
 * The add-ons of one environment as its layer stacks build them: each layer builds the enabled add-ons registered for
 * it, then the custom resources add-ons contribute to it. Dependencies are typed (`require(certManagerAddon)` returns
 * the `CertManager`), checked before anything is built.
 */
export class EnvironmentAddons {
  private readonly instances = new Map<AddonDescriptor<any>, unknown>();
  private readonly contributed = new Map<string, unknown>();
  /** The add-ons the environment runs, in registry order. */
  public readonly enabled: readonly AddonDescriptor<any>[];
  /**
   * Where `delivery.mode` is `gitops`: the add-on releases handed to Argo CD instead of Helm, written by the synth to
   * `cdktf.out/gitops/<env>/`. Absent in `helm` mode.
   */
  public readonly gitops?: GitOpsCatalog;
  private clusterSecret?: GitOpsClusterSecret;

  constructor(
    public readonly config: EnvironmentConfig,
    public readonly lower: LowerLayerValues,
    public readonly artifacts: AddonArtifacts = {},
  ) {
    this.enabled = enabledAddons(config);
    if (config.delivery.mode === "gitops") this.gitops = new GitOpsCatalog();
  }

  /** A built add-on, when the environment runs it and its layer is built. */
  public find<A>(addon: AddonDescriptor<A>): A | undefined {
    return this.instances.get(addon) as A | undefined;
  }

  /** What an add-on contributed to a `-resources` layer, once that layer is built. */
  public contribution<R>(addon: AddonDescriptor<any>, layer: string): R | undefined {
    return this.contributed.get(`${addon.name}@${layer}`) as R | undefined;
  }

  /**
   * Builds in `stack` the add-ons of its layer and the custom resources contributed to it, in registry order.
   * @param namespaces the layer's namespace baseline, for `ctx.namespace(name)`
   */
  public buildLayer(stack: EnvironmentStack, cluster: ICluster, access: IClusterAccess, namespaces?: NamespaceBaseline): void {
    const ctx = this.context(stack, cluster, access, namespaces);
    const bridged = this.gitops?.entries.length ?? 0;
    this.gitops?.deliverUnder(stack);
    for (const addon of this.enabled.filter((a) => a.layer === stack.layer)) this.instances.set(addon, addon.build(ctx));
    if (this.gitops) this.bridgeLayer(stack, access, this.gitops.entries.slice(bridged));
    for (const addon of this.enabled) {
      for (const r of (addon.resources ?? []).filter((x) => x.layer === stack.layer)) {
        this.contributed.set(`${addon.name}@${r.layer}`, r.build(ctx, this.instances.get(addon)));
      }
    }
  }

  /**
   * The layer's bridged releases in the Argo CD cluster Secret: the layer that installs Argo CD makes the Secret with
   * its add-ons' labels and annotations; later layers add theirs (their own field manager). Argo CD then installs each
   * add-on whose `enable_<release>` label is set, from the ApplicationSets the synth writes.
   */
  private bridgeLayer(stack: EnvironmentStack, access: IClusterAccess, entries: readonly GitOpsEntry[]): void {
    const argoCd = this.find(argoCdAddon);
    if (!this.clusterSecret && argoCd !== undefined) {
      const metadata = { clusterName: this.config.cluster.name, region: this.config.region, accountId: this.config.account, environment: this.config.name };
      this.clusterSecret = new GitOpsClusterSecret(stack, "GitOpsClusterSecret", { metadata, entries, access, dependsOn: [argoCd] });
    } else if (entries.length > 0) {
      if (!this.clusterSecret) throw new ValidationError(stack.node.path, [{ path: "delivery.mode", value: "gitops", allowed: `helm: add-ons of layer ${stack.layer} are built before Argo CD (a registry order problem)` }]);
      new GitOpsClusterLabels(stack, "GitOpsClusterLabels", { layer: stack.layer, entries, access });
    }
    // The add-ons' AppProject, once every release is known (the last layer with releases, a later stack than Argo CD's):
    // Terraform's, so the root repository needs no right to create projects.
    const lastReleaseLayer = this.enabled.map((a) => a.layer).sort((a, b) => layerIndex(a) - layerIndex(b)).pop();
    if (argoCd !== undefined && stack.layer === lastReleaseLayer && stack.layer !== argoCdAddon.layer) {
      new CustomResource(stack, "GitOpsAddonsProject", { installedBy: argoCd, access, manifest: addonsAppProject(this.gitops!.entries.map((e) => e.repository)) as any });
    }
  }

  private context(stack: EnvironmentStack, cluster: ICluster, access: IClusterAccess, namespaces?: NamespaceBaseline): AddonContext {
    const self = this;
    return {
      scope: stack,
      layer: stack.layer,
      config: this.config,
      cluster,
      access,
      placement: systemNodePlacement(this.config.cluster.nodeGroups),
      lower: this.lower,
      artifacts: this.artifacts,
      namespace(name: string): NamespaceV1 {
        const made = namespaces?.namespaces[name]?.namespace;
        if (!made) throw new ValidationError(stack.node.path, [{ path: "namespace", value: name, allowed: `a namespace this layer's baseline makes: ${Object.keys(namespaces?.namespaces ?? {}).join(", ") || "none"}` }]);
        return made;
      },
      require<A>(addon: AddonDescriptor<A>): A {
        const built = self.find(addon);
        if (built === undefined) throw new ValidationError(stack.node.path, requireProblems(self.config, addon, stack.layer));
        return built;
      },
      find: <A>(addon: AddonDescriptor<A>) => this.find(addon),
      enabled: this.enabled,
    };
  }
}

function requireProblems(config: EnvironmentConfig, addon: AddonDescriptor<any>, layer: string): ValidationProblem[] {
  if (!addon.enabled(config)) {
    return [{ path: addon.configPath ?? addon.name, value: "off", allowed: `the ${addon.name} add-on enabled: something this environment runs needs it` }];
  }
  return [{ path: addon.name, value: `built in layer ${addon.layer}`, allowed: `an add-on built before layer ${layer} (a registry order problem)` }];
}

/**
 * What the registry requires of an environment before anything is built: every add-on an enabled one requires is
 * enabled too (named by its configuration path), and built no later than it (a registry error, not the user's).
 */
export function addonDependencyProblems(config: EnvironmentConfig, addons: readonly AddonDescriptor<any>[] = ADDONS): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const enabled = addons.filter((a) => a.enabled(config));
  for (const addon of enabled) {
    for (const needed of addon.requires ?? []) {
      if (!needed.enabled(config)) {
        problems.push({ path: needed.configPath ?? needed.name, value: "off", allowed: `${needed.name} enabled: ${addon.name} (${addon.configPath ?? addon.name}) needs it` });
      } else if (layerIndex(needed.layer) > layerIndex(addon.layer) || (needed.layer === addon.layer && addons.indexOf(needed) > addons.indexOf(addon))) {
        problems.push({ path: `ADDONS[${addons.indexOf(addon)}]`, value: addon.name, allowed: `an add-on listed after what it requires (${needed.name})` });
      }
    }
  }
  return problems;
}

/**
 * Where controllers run: on node groups labelled `sre-platform.io/node-role=system`, tolerating their
 * taints. Derived from the node groups, so no environment names its system group twice.
 */
export function systemNodePlacement(nodeGroups: readonly NodeGroupConfig[]): SystemNodePlacement {
  const system = nodeGroups.filter((g) => g.labels[NODE_ROLE_LABEL] === NODE_ROLES.system);
  const effects = { NO_SCHEDULE: "NoSchedule", NO_EXECUTE: "NoExecute", PREFER_NO_SCHEDULE: "PreferNoSchedule" } as const;
  const tolerations: Toleration[] = [];
  for (const t of system.flatMap((g) => g.taints)) {
    if (!tolerations.some((x) => x.key === t.key && x.effect === effects[t.effect])) {
      tolerations.push({ key: t.key, operator: "Equal", value: t.value, effect: effects[t.effect] });
    }
  }
  return { nodeLabels: system.length > 0 ? { [NODE_ROLE_LABEL]: NODE_ROLES.system } : {}, tolerations };
}
