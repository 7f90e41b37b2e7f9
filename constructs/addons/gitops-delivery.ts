import type { IConstruct } from "constructs";
import type { BridgedRelease } from "../../lib/delivery/gitops-bridge";

/** One release handed to Argo CD instead of Helm: what the ApplicationSet carries and what Terraform writes for it. */
export interface GitOpsEntry extends BridgedRelease {
  /** The construct path of the `HelmAddon`, for messages. */
  readonly path: string;
  /** Cluster Secret annotations the values read, name → value (deploy-time values Terraform resolves). */
  readonly annotations: Readonly<Record<string, string>>;
  /** The values exactly as the Helm release would have rendered them (tokens included), for comparison. */
  readonly helmValues: Readonly<Record<string, unknown>>;
}

/**
 * The add-on releases of one environment delivered through the GitOps bridge, in build order. `HelmAddon` adds to the
 * catalog of the nearest scope registered with {@link GitOpsCatalog.deliverUnder}; the synth writes the entries as
 * ApplicationSets, and the layer stacks write their labels and annotations into the Argo CD cluster Secret.
 */
export class GitOpsCatalog {
  private static readonly byScope = new WeakMap<IConstruct, GitOpsCatalog>();
  private readonly list: GitOpsEntry[] = [];

  /** The catalog whose scope encloses `construct`, when one is registered (else the add-on is a Helm release). */
  public static of(construct: IConstruct): GitOpsCatalog | undefined {
    for (const scope of [...construct.node.scopes].reverse()) {
      const found = GitOpsCatalog.byScope.get(scope);
      if (found) return found;
    }
    return undefined;
  }

  /** Every `HelmAddon` built under `scope` (e.g. a layer stack) is delivered through this catalog. */
  public deliverUnder(scope: IConstruct): void {
    GitOpsCatalog.byScope.set(scope, this);
  }

  public add(entry: GitOpsEntry): void {
    if (this.list.some((e) => e.releaseName === entry.releaseName)) {
      throw new Error(`${entry.path}: release name "${entry.releaseName}" is delivered twice through the GitOps bridge`);
    }
    this.list.push(entry);
  }

  /** The entries, in build order. */
  public get entries(): readonly GitOpsEntry[] {
    return [...this.list];
  }
}
