/**
 * The RBAC of kube-prometheus-stack's operator, Prometheus and admission-webhook jobs, as data: the platform builds it
 * itself because the pinned chart (88.5.3) binds the operator a ClusterRole with `*` on every Secret and ConfigMap of
 * the cluster, and no value of the chart narrows that rule short of `global.rbac.create: false`, which also drops
 * Prometheus's and the webhook jobs' RBAC. These are the chart's rules, with the Secret and ConfigMap rights moved into
 * a Role in the release's namespace.
 *
 * Where the operator needs Secrets, and why only there: it writes Prometheus's and Alertmanager's generated
 * configuration, web and TLS assets as Secrets next to them, and watches the Secrets they mount (the receivers'), in the
 * namespaces of its Prometheus and Alertmanager objects, which the values pin to the release's namespace
 * (`--prometheus-instance-namespaces`, `--alertmanager-instance-namespaces`). In the other namespaces it watches (the
 * platform's and the teams') it reads only monitoring.coreos.com objects. A ServiceMonitor there that names a Secret
 * (basic auth, a bearer token, a TLS key) is not loaded: granting the operator `get` on a team's Secrets would let that
 * team's deployers, who may write monitors but never read Secrets, have Prometheus send any Secret of their namespace
 * to a scrape target they run.
 * @see https://github.com/prometheus-operator/prometheus-operator/blob/main/Documentation/platform/rbac.md
 */

/** The chart's `kube-prometheus-stack.fullname` for a release (no name override): what its objects are named after. */
export function chartFullname(releaseName: string, chart = "kube-prometheus-stack"): string {
  const name = releaseName.includes(chart) ? releaseName : `${releaseName}-${chart}`;
  return name.slice(0, 26).replace(/-+$/, "");
}

/** One RBAC rule, in the provider's shape. */
export interface RbacRule {
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly nonResourceUrls?: readonly string[];
  readonly verbs: readonly string[];
}

/** A role and the service account bound to it. */
export interface BoundRole {
  /** The role's and binding's name. */
  readonly name: string;
  /** The bound service account (in the release's namespace). */
  readonly serviceAccount: string;
  readonly rules: readonly RbacRule[];
}

/** The cluster-wide and release-namespace roles of the monitoring stack. */
export interface MonitoringRbac {
  readonly clusterRoles: readonly BoundRole[];
  /** Roles in the release's namespace. */
  readonly namespaceRoles: readonly BoundRole[];
}

/** What the operator writes and watches next to its Prometheus and Alertmanager objects. */
const OPERATED_ASSETS: RbacRule = { apiGroups: [""], resources: ["configmaps", "secrets"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] };

/**
 * The RBAC for a release: the operator (`<fullname>-operator`), Prometheus (`<fullname>-prometheus`) and the webhook
 * certificate jobs (`<fullname>-admission`), named after the chart's service accounts. The platform's objects carry a
 * `sre-platform:` prefix: the chart's own, deleted by the upgrade that turns its RBAC off, have the bare names.
 */
export function monitoringRbac(fullname: string): MonitoringRbac {
  const operator = `${fullname}-operator`;
  const admission = `${fullname}-admission`;
  return {
    clusterRoles: [
      {
        name: `sre-platform:${operator}`,
        serviceAccount: operator,
        rules: [
          {
            apiGroups: ["monitoring.coreos.com"],
            resources: [
              "alertmanagers", "alertmanagers/finalizers", "alertmanagers/status", "alertmanagerconfigs",
              "prometheuses", "prometheuses/finalizers", "prometheuses/status",
              "prometheusagents", "prometheusagents/finalizers", "prometheusagents/status",
              "thanosrulers", "thanosrulers/finalizers", "thanosrulers/status",
              "scrapeconfigs", "scrapeconfigs/status", "servicemonitors", "servicemonitors/status",
              "podmonitors", "podmonitors/status", "probes", "probes/status", "prometheusrules", "prometheusrules/status",
            ],
            verbs: ["*"],
          },
          { apiGroups: ["apps"], resources: ["statefulsets"], verbs: ["*"] },
          { apiGroups: [""], resources: ["pods"], verbs: ["list", "delete"] },
          // The kubelet Service and its endpoints in kube-system (`--kubelet-service`).
          { apiGroups: [""], resources: ["services", "services/finalizers", "endpoints"], verbs: ["get", "create", "update", "delete"] },
          { apiGroups: [""], resources: ["nodes"], verbs: ["list", "watch"] },
          { apiGroups: [""], resources: ["namespaces"], verbs: ["get", "list", "watch"] },
          { apiGroups: ["", "events.k8s.io"], resources: ["events"], verbs: ["patch", "create"] },
          { apiGroups: ["networking.k8s.io"], resources: ["ingresses"], verbs: ["get", "list", "watch"] },
          { apiGroups: ["storage.k8s.io"], resources: ["storageclasses"], verbs: ["get"] },
          { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["get", "create", "list", "watch", "update", "delete"] },
        ],
      },
      {
        name: `sre-platform:${fullname}-prometheus`,
        serviceAccount: `${fullname}-prometheus`,
        rules: [
          { apiGroups: [""], resources: ["nodes", "nodes/metrics", "services", "endpoints", "pods"], verbs: ["get", "list", "watch"] },
          { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["get", "list", "watch"] },
          { apiGroups: ["networking.k8s.io"], resources: ["ingresses"], verbs: ["get", "list", "watch"] },
          // The kubelet's own metrics and cAdvisor's (the chart's kubelet ServiceMonitor).
          { nonResourceUrls: ["/metrics", "/metrics/cadvisor"], verbs: ["get"] },
        ],
      },
      {
        // The certificate jobs patch the CA into the chart's two webhook configurations, and only those.
        name: `sre-platform:${admission}`,
        serviceAccount: admission,
        rules: [
          {
            apiGroups: ["admissionregistration.k8s.io"],
            resources: ["validatingwebhookconfigurations", "mutatingwebhookconfigurations"],
            resourceNames: [admission],
            verbs: ["get", "update", "patch"],
          },
        ],
      },
    ],
    namespaceRoles: [
      { name: `sre-platform:${operator}`, serviceAccount: operator, rules: [OPERATED_ASSETS] },
      // The webhook's certificate Secret, created once and read on every upgrade.
      { name: `sre-platform:${admission}`, serviceAccount: admission, rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["get", "create"] }] },
    ],
  };
}
