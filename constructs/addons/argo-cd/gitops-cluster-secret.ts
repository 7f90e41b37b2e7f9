import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { Labels } from "@cdktf/provider-kubernetes/lib/labels";
import { Annotations } from "@cdktf/provider-kubernetes/lib/annotations";
import type { IClusterAccess } from "../../cluster/cluster-access";
import { requireProps } from "../../common/validation";
import { ARGOCD_NAMESPACE, IN_CLUSTER_SERVER } from "../../../lib/delivery/argocd-projects";
import { clusterSecretMetadata, enableLabel, type BridgeClusterMetadata } from "../../../lib/delivery/gitops-bridge";
import type { GitOpsEntry } from "../gitops-delivery";

/** The cluster Secret's name: one per environment, for the cluster Argo CD runs in. */
export const GITOPS_CLUSTER_SECRET = "in-cluster";

/** Props of {@link GitOpsClusterSecret}. */
export interface GitOpsClusterSecretProps {
  readonly metadata: BridgeClusterMetadata;
  /** The add-on releases this layer delivers: a label `enable_<release>` and their annotations each. */
  readonly entries: readonly GitOpsEntry[];
  /** @default - the stack's default Kubernetes provider */
  readonly access?: IClusterAccess;
  /** What the Secret waits for (Argo CD's namespace). @default - nothing */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The Argo CD cluster Secret of the GitOps bridge, made by the first layer that delivers add-ons: the in-cluster API
 * server, the cluster's own metadata (`aws_cluster_name`, `aws_region`, …) and the labels and annotations of that
 * layer's add-ons. Server-side applied (`kubernetes_manifest`), so the later layers' {@link GitOpsClusterLabels} own
 * their own keys in it without a fight.
 */
export class GitOpsClusterSecret extends Construct implements ITerraformDependable {
  public readonly secret: Manifest;
  public readonly labels: Readonly<Record<string, string>>;
  public readonly annotations: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: GitOpsClusterSecretProps) {
    super(scope, id);
    requireProps(this, props, { metadata: "the cluster's name, region, account and environment", entries: "the layer's bridged releases" });
    const base = clusterSecretMetadata(props.metadata);
    this.labels = { ...base.labels, ...entryLabels(props.entries) };
    this.annotations = { ...base.annotations, ...entryAnnotations(props.entries) };
    const config = JSON.stringify({ tlsClientConfig: { insecure: false } });
    this.secret = new Manifest(this, "Secret", {
      provider: props.access?.kubernetesProvider,
      manifest: {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: GITOPS_CLUSTER_SECRET, namespace: ARGOCD_NAMESPACE, labels: this.labels, annotations: this.annotations },
        type: "Opaque",
        data: { name: base64(props.metadata.clusterName), server: base64(IN_CLUSTER_SERVER), config: base64(config) },
      },
      dependsOn: props.dependsOn,
    });
  }

  public get fqn(): string {
    return this.secret.fqn;
  }
}

/** Props of {@link GitOpsClusterLabels}. */
export interface GitOpsClusterLabelsProps {
  /** The layer's name: the field manager that owns its keys. */
  readonly layer: string;
  readonly entries: readonly GitOpsEntry[];
  /** @default - the stack's default Kubernetes provider */
  readonly access?: IClusterAccess;
}

/** A later layer's add-ons in the cluster Secret: their labels and annotations, owned by the layer's field manager. */
export class GitOpsClusterLabels extends Construct {
  public readonly labels: Labels;
  public readonly annotations: Annotations;

  constructor(scope: Construct, id: string, props: GitOpsClusterLabelsProps) {
    super(scope, id);
    const target = { apiVersion: "v1", kind: "Secret", metadata: { name: GITOPS_CLUSTER_SECRET, namespace: ARGOCD_NAMESPACE }, fieldManager: `sre-platform-${props.layer}` };
    this.labels = new Labels(this, "Labels", { provider: props.access?.kubernetesProvider, ...target, labels: entryLabels(props.entries) });
    this.annotations = new Annotations(this, "Annotations", { provider: props.access?.kubernetesProvider, ...target, annotations: entryAnnotations(props.entries) });
  }
}

const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

function entryLabels(entries: readonly GitOpsEntry[]): Record<string, string> {
  return Object.fromEntries(entries.map((e) => [enableLabel(e.releaseName), "true"]));
}

function entryAnnotations(entries: readonly GitOpsEntry[]): Record<string, string> {
  return Object.assign({}, ...entries.map((e) => e.annotations));
}
