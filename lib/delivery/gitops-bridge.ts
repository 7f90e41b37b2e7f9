/**
 * The GitOps bridge, framework-free: how an add-on that Terraform would install as a Helm release is handed to Argo CD
 * instead. Terraform keeps the AWS side (IAM roles, queues, buckets) and writes what the charts need to know about it
 * into the Argo CD cluster Secret: a label `enable_<addon>: "true"` per add-on and annotations with its metadata (role
 * ARNs, namespaces, service accounts), the gitops-bridge convention. Each add-on is an ApplicationSet whose cluster
 * generator selects that label and whose values read the annotations, written to `cdktf.out/gitops/<env>/` with the
 * same chart, version and values the Helm release would get.
 * @see https://github.com/gitops-bridge-dev/gitops-bridge
 */
import { ARGOCD_NAMESPACE, IN_CLUSTER_SERVER, ROLLOUTS_IGNORE_DIFFERENCES, syncPolicy } from "./argocd-projects";

/** The label that makes a Secret in Argo CD's namespace a cluster. */
export const CLUSTER_SECRET_TYPE_LABEL = "argocd.argoproj.io/secret-type";

/** The AppProject of the platform's add-ons in `gitops` mode. */
export const ADDONS_PROJECT = "platform-addons";

/** `external-secrets` → `external_secrets`: the gitops-bridge spelling in label and annotation keys. */
export function snake(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
}

/** The cluster Secret label that turns an add-on on. */
export function enableLabel(addon: string): string {
  return `enable_${snake(addon)}`;
}

/** An annotation name (at most 63 characters: a qualified name's limit), its tail replaced by a hash when longer. */
export function annotationKey(parts: readonly string[]): string {
  const key = parts.map(snake).filter((p) => p !== "").join("_");
  if (key.length <= 63) return key;
  let h = 0;
  for (const c of key) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `${key.slice(0, 54)}_${h.toString(16).padStart(8, "0")}`;
}

/** The ApplicationSet template expression that reads a cluster Secret annotation. */
export function annotationRef(key: string): string {
  return `{{ index .metadata.annotations "${key}" }}`;
}

/** Go template text that renders literally: a chart value holding `{{ … }}` (an Alertmanager template) must survive. */
export function escapeGoTemplate(text: string): string {
  return text.replace(/\{\{|\}\}/g, (m) => (m === "{{" ? '{{ "{{" }}' : '{{ "}}" }}'));
}

/**
 * The values of a release as the ApplicationSet carries them: every string Terraform resolves (`isDeployTime`: a
 * role ARN, a queue name) becomes a read of a cluster Secret annotation, named from the add-on and the value's path
 * (an IRSA role annotation `<addon>_iam_role_arn`, the gitops-bridge name); every other string is escaped so it renders
 * as itself. Returns the values and the annotations (name → the deploy-time value) Terraform must write.
 */
export function bridgeValues(
  addon: string,
  values: Readonly<Record<string, unknown>>,
  isDeployTime: (s: string) => boolean,
): { values: Record<string, unknown>; annotations: Record<string, string> } {
  const annotations: Record<string, string> = {};
  const walk = (v: unknown, at: string[]): unknown => {
    if (typeof v === "string") {
      if (!isDeployTime(v)) return escapeGoTemplate(v);
      const last = at[at.length - 1] ?? "";
      // A chart with several IRSA roles (kube-prometheus-stack's Prometheus and Grafana with Amazon Managed Prometheus)
      // names each by the component above its service account: `<addon>_<component>_iam_role_arn`.
      const key = last === "eks.amazonaws.com/role-arn" ? annotationKey([addon, ...at.slice(0, -3), "iam_role_arn"]) : annotationKey([addon, ...at]);
      annotations[key] = v;
      return annotationRef(key);
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...at, String(i)]));
    if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, [...at, k])]));
    return v;
  };
  return { values: walk(values, []) as Record<string, unknown>, annotations };
}

/** One add-on release as the bridge delivers it. */
export interface BridgedRelease {
  /** The release name (`external-secrets`): the Application's name and the enable label's. */
  readonly releaseName: string;
  readonly chart: string;
  readonly repository: string;
  readonly version: string;
  readonly namespace: string;
  /** Values with annotation reads and escaped templates (see {@link bridgeValues}). */
  readonly values: Readonly<Record<string, unknown>>;
  /** Its values document, rendered once (the same rendering as the Helm release's). */
  readonly valuesYaml: string;
}

/**
 * The ApplicationSet of one add-on: one Application per cluster Secret labelled `enable_<addon>: "true"`, the pinned
 * chart at its exact version, the values document (annotation reads resolved by the ApplicationSet controller), synced
 * automatically with server-side apply (large CRDs), into the namespace the platform's baseline made.
 */
export function addonApplicationSet(r: BridgedRelease, namespace: string = ARGOCD_NAMESPACE): Record<string, any> {
  const oci = r.repository.startsWith("oci://");
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "ApplicationSet",
    metadata: { name: `addon-${r.releaseName}`, namespace, labels: { "app.kubernetes.io/managed-by": "sre-platform" } },
    spec: {
      goTemplate: true,
      goTemplateOptions: ["missingkey=error"],
      generators: [{ clusters: { selector: { matchLabels: { [CLUSTER_SECRET_TYPE_LABEL]: "cluster", [enableLabel(r.releaseName)]: "true" } } } }],
      template: {
        metadata: { name: `${r.releaseName}-{{ .name }}`, labels: { "app.kubernetes.io/managed-by": "sre-platform" } },
        spec: {
          project: ADDONS_PROJECT,
          source: {
            repoURL: oci ? r.repository.replace(/^oci:\/\//, "").replace(new RegExp(`/${r.chart}$`), "") : r.repository,
            chart: r.chart,
            targetRevision: r.version,
            helm: { releaseName: r.releaseName, values: r.valuesYaml },
          },
          destination: { server: "{{ .server }}", namespace: r.namespace },
          // The namespace baseline (Terraform) made the namespace; the CRDs of some charts exceed client-side apply.
          syncPolicy: syncPolicy(true, ["CreateNamespace=false", "ServerSideApply=true"]),
          ignoreDifferences: ROLLOUTS_IGNORE_DIFFERENCES.map((d) => ({ ...d, jqPathExpressions: [...d.jqPathExpressions] })),
        },
      },
    },
  };
}

/** The add-ons' AppProject: the charts' repositories only, this cluster only, cluster-scoped kinds allowed (CRDs, webhooks). */
export function addonsAppProject(repositories: readonly string[], namespace: string = ARGOCD_NAMESPACE): Record<string, any> {
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "AppProject",
    metadata: { name: ADDONS_PROJECT, namespace, labels: { "app.kubernetes.io/managed-by": "sre-platform" } },
    spec: {
      description: "The platform's add-ons, delivered from their pinned charts through the GitOps bridge",
      sourceRepos: [...new Set(repositories)].sort(),
      destinations: [{ server: IN_CLUSTER_SERVER, namespace: "*" }],
      clusterResourceWhitelist: [{ group: "*", kind: "*" }],
      sourceNamespaces: [],
    },
  };
}

/** What the cluster Secret says about the cluster itself (gitops-bridge's `aws_*` annotations). */
export interface BridgeClusterMetadata {
  readonly clusterName: string;
  readonly region: string;
  readonly accountId: string;
  readonly environment: string;
}

/** The cluster Secret's own labels and annotations, before any add-on's. */
export function clusterSecretMetadata(m: BridgeClusterMetadata): { labels: Record<string, string>; annotations: Record<string, string> } {
  return {
    labels: { [CLUSTER_SECRET_TYPE_LABEL]: "cluster", environment: m.environment },
    annotations: { aws_cluster_name: m.clusterName, aws_region: m.region, aws_account_id: m.accountId, environment: m.environment },
  };
}
