import { KUBERNETES_API_PORT } from "../lib/security/namespace-baseline";
import { GATEWAY_LISTENER_PORTS, INGRESS_GATEWAY_SELECTOR, ISTIO_PORTS } from "../lib/security/mesh";
import type { AllowRuleConfig, NamespaceSettings, NamespacesConfig } from "../lib/config/security/namespaces";

/**
 * The platform namespaces' baselines, shared by every environment except for their sizes. Each allow says what the
 * traffic is for; pod labels are the charts' own. `kubernetesApi` is the control plane's ENIs (webhooks in, API
 * calls out), `nodes` the node subnets, `internet` every address outside the VPC and link-local (no instance metadata),
 * `vpcEndpoints` the VPC's interface endpoints (AWS APIs through private DNS).
 */

const app = (name: string) => ({ "app.kubernetes.io/name": name });
const PROMETHEUS = app("prometheus");
const ALERTMANAGER = app("alertmanager");
const GRAFANA = app("grafana");
const FALCO = app("falco");
const FALCOSIDEKICK = app("falcosidekick");
const ROLLOUTS = app("argo-rollouts");
const TEMPO = app("tempo");
const OTEL_COLLECTOR = app("opentelemetry-collector");

/** The ports of the ingress gateway's LoadBalancer Service: the listeners and the status port its health checks call. */
const GATEWAY_SERVICE_PORTS = [GATEWAY_LISTENER_PORTS.http, GATEWAY_LISTENER_PORTS.https, ISTIO_PORTS.gatewayStatus];

const kubernetesApiOut: AllowRuleConfig = { name: "kubernetes-api", peer: { kubernetesApi: true }, ports: [{ port: KUBERNETES_API_PORT }] };

/** How much each platform namespace may hold: the environment's sizes. */
export interface PlatformNamespaceSizes {
  readonly monitoring: NamespaceSettings["quota"];
  /** Per node-bound namespace (node-exporter, Falco, istio-system with its CNI agent): pods grow with nodes. */
  readonly perNode: NamespaceSettings["quota"];
  readonly controller: NamespaceSettings["quota"];
  /** Argo CD: four components (two of each in HA) and Redis (six pods with redis-ha). */
  readonly argocd: NamespaceSettings["quota"];
}

const CONTAINER_DEFAULTS = { requestCpu: "50m", requestMemory: "64Mi", limitMemory: "256Mi" };

/** The baseline of every platform namespace, sized for the environment. */
export function platformNamespaces(sizes: PlatformNamespaceSizes): NamespacesConfig["platform"] {
  const common = { containerDefaults: CONTAINER_DEFAULTS };
  return {
    monitoring: {
      ...common,
      // Prometheus scrapes plaintext metrics ports; the sidecar's merged metrics (15020) are built for that.
      mesh: "none",
      metricsPorts: [9090, 9093, 3000, 8080, 10250],
      ingress: [
        { name: "grafana", forPods: PROMETHEUS, peer: { namespace: "monitoring", podLabels: GRAFANA }, ports: [{ port: 9090 }] },
        { name: "prometheus", forPods: ALERTMANAGER, peer: { namespace: "monitoring", podLabels: PROMETHEUS }, ports: [{ port: 9093 }] },
        { name: "alertmanager-peers", forPods: ALERTMANAGER, peer: { namespace: "monitoring", podLabels: ALERTMANAGER }, ports: [{ port: 9094 }, { port: 9094, protocol: "UDP" }] },
        { name: "falcosidekick", forPods: ALERTMANAGER, peer: { namespace: "falco", podLabels: FALCOSIDEKICK }, ports: [{ port: 9093 }] },
        // Canary analysis and the error-budget gate: the Rollouts controller queries Prometheus's HTTP API.
        { name: "argo-rollouts", forPods: PROMETHEUS, peer: { namespace: "argo-rollouts", podLabels: ROLLOUTS }, ports: [{ port: 9090 }] },
        { name: "operator-webhook", forPods: { app: "kube-prometheus-stack-operator" }, peer: { kubernetesApi: true }, ports: [{ port: 10250 }] },
        // The chaos experiments' steady-state probes query the SLO series (where the environment runs chaos).
        { name: "chaos-probes", forPods: PROMETHEUS, peer: { namespace: "litmus-chaos" }, ports: [{ port: 9090 }] },
      ],
      egress: [
        // Service discovery (Prometheus), reconciling (operator), dashboards (Grafana's sidecar), kube-state-metrics.
        kubernetesApiOut,
        // The kubelet and cAdvisor, node-exporter and kube-proxy: host-network endpoints on the nodes.
        { name: "node-metrics", forPods: PROMETHEUS, peer: { nodes: true }, ports: [{ port: 10250 }, { port: 9100 }, { port: 10249 }] },
        { name: "coredns-metrics", forPods: PROMETHEUS, peer: { namespace: "kube-system", podLabels: { "k8s-app": "kube-dns" } }, ports: [{ port: 9153 }] },
        { name: "grafana", forPods: GRAFANA, peer: { namespace: "monitoring", podLabels: PROMETHEUS }, ports: [{ port: 9090 }] },
        { name: "prometheus", forPods: PROMETHEUS, peer: { namespace: "monitoring", podLabels: ALERTMANAGER }, ports: [{ port: 9093 }] },
        { name: "alertmanager-peers", forPods: ALERTMANAGER, peer: { namespace: "monitoring", podLabels: ALERTMANAGER }, ports: [{ port: 9094 }, { port: 9094, protocol: "UDP" }] },
        // Grafana's Tempo data source (where the environment traces).
        { name: "tempo", forPods: GRAFANA, peer: { namespace: "tempo", podLabels: TEMPO }, ports: [{ port: 3200 }] },
        // Slack, PagerDuty and the incident webhook over HTTPS; mail through the smarthost's submission port.
        { name: "alertmanager-receivers", forPods: ALERTMANAGER, peer: { internet: true }, ports: [{ port: 443 }, { port: 587 }] },
      ],
      quota: sizes.monitoring,
    },
    "node-exporter": {
      ...common,
      podSecurity: { level: "privileged", reason: "node-exporter reads the host's /proc, /sys and root filesystem with hostNetwork and hostPID" },
      mesh: "none",
      metricsPorts: [9100],
      ingress: [],
      egress: [],
      quota: sizes.perNode,
    },
    "external-secrets": {
      ...common,
      mesh: "none",
      metricsPorts: [8080],
      ingress: [{ name: "webhook", forPods: app("external-secrets-webhook"), peer: { kubernetesApi: true }, ports: [{ port: 10250 }] }],
      // Secrets Manager and STS: through NAT (their public endpoints), or the interface endpoints where the environment
      // has them (private DNS answers with the endpoints' addresses, inside the VPC the internet allow leaves out).
      egress: [
        kubernetesApiOut,
        { name: "aws-apis", peer: { internet: true }, ports: [{ port: 443 }] },
        { name: "aws-endpoints", peer: { vpcEndpoints: true }, ports: [{ port: 443 }] },
      ],
      quota: sizes.controller,
    },
    // Pod Security `privileged` for the CNI node agent, with its reason: security.mesh.cni.podSecurity.
    "istio-system": {
      ...common,
      mesh: "none",
      metricsPorts: [15014],
      ingress: [
        { name: "sidecars", forPods: { app: "istiod" }, peer: { namespace: "*" }, ports: [{ port: 15012 }] },
        { name: "webhooks", forPods: { app: "istiod" }, peer: { kubernetesApi: true }, ports: [{ port: 15017 }] },
      ],
      egress: [kubernetesApiOut],
      quota: sizes.perNode,
    },
    "istio-ingress": {
      ...common,
      // The gateway's pods are injected with the gateway template, which needs the namespace in the mesh.
      mesh: "sidecar",
      metricsPorts: [],
      // The NLB keeps client addresses (externalTrafficPolicy: Local); its health checks call the status port. What the
      // gateway may call is security.mesh.expose, turned into allows by the stack.
      ingress: [{ name: "load-balancer", forPods: INGRESS_GATEWAY_SELECTOR, peer: { cidrs: ["0.0.0.0/0"] }, ports: GATEWAY_SERVICE_PORTS.map((port) => ({ port })) }],
      egress: [],
      // The one namespace with a load balancer: the gateway's Service, whose ports each take a node port too (it
      // allocates them, the Kubernetes default). Every other namespace's quota allows none of either.
      quota: { ...sizes.controller, servicesLoadBalancers: 1, servicesNodePorts: GATEWAY_SERVICE_PORTS.length },
    },
    // Pod Security `privileged` with its reason: security.falco.podSecurity. Falco reads the host, not the API server.
    falco: {
      ...common,
      mesh: "none",
      metricsPorts: [8765, 2801],
      ingress: [{ name: "falco", forPods: FALCOSIDEKICK, peer: { namespace: "falco", podLabels: FALCO }, ports: [{ port: 2801 }] }],
      egress: [
        // falcoctl fetches the pinned rules and the container plugin (ghcr.io, falcosecurity.github.io) at pod start.
        { name: "rules-and-plugins", forPods: FALCO, peer: { internet: true }, ports: [{ port: 443 }] },
        { name: "falcosidekick", forPods: FALCO, peer: { namespace: "falco", podLabels: FALCOSIDEKICK }, ports: [{ port: 2801 }] },
        { name: "alertmanager", forPods: FALCOSIDEKICK, peer: { namespace: "monitoring", podLabels: ALERTMANAGER }, ports: [{ port: 9093 }] },
      ],
      quota: sizes.perNode,
    },
    // Fluent Bit (Pod Security `privileged` with its reason from the fluent-bit add-on: host paths). It asks the API
    // server for pod metadata and sends to CloudWatch Logs (and STS for IRSA) over HTTPS: NAT or the interface endpoints.
    logging: {
      ...common,
      mesh: "none",
      metricsPorts: [2020],
      ingress: [],
      egress: [
        kubernetesApiOut,
        { name: "aws-apis", forPods: app("fluent-bit"), peer: { internet: true }, ports: [{ port: 443 }] },
        { name: "aws-endpoints", forPods: app("fluent-bit"), peer: { vpcEndpoints: true }, ports: [{ port: 443 }] },
      ],
      quota: sizes.perNode,
    },
    // The chaos operator: it reconciles ChaosEngines through the API server and nothing else (usage analytics off).
    litmus: {
      ...common,
      podSecurity: {
        level: "baseline",
        reason: "the litmus-core chart's operator Deployment sets no security context and has no value for one, so restricted would refuse its pod; baseline still refuses host access, privilege and added capabilities",
      },
      mesh: "none",
      metricsPorts: [],
      ingress: [],
      egress: [kubernetesApiOut],
      quota: sizes.controller,
    },
    // Where chaos experiments run: engines, runners, experiment jobs and their helper pods (Pod Security from the
    // experiments configured: chaos.litmus.targets). Out of the mesh, so experiment jobs complete; the API server for
    // the experiments, Prometheus for their probes.
    "litmus-chaos": {
      ...common,
      mesh: "none",
      metricsPorts: [],
      ingress: [],
      egress: [kubernetesApiOut, { name: "prometheus", peer: { namespace: "monitoring", podLabels: PROMETHEUS }, ports: [{ port: 9090 }] }],
      quota: sizes.controller,
    },
    // Argo CD: its components talk to each other (repo server 8081, Redis 6379 through HAProxy, Sentinel 26379), the repo
    // server clones Git and pulls charts over HTTPS, the server calls the identity provider; nobody outside reaches it
    // (people use the gateway where security.mesh.expose allows, or a port-forward).
    argocd: {
      ...common,
      mesh: "none",
      metricsPorts: [8082],
      ingress: [
        { name: "repo-server", forPods: app("argocd-repo-server"), peer: { namespace: "argocd" }, ports: [{ port: 8081 }] },
        { name: "redis", forPods: app("argocd-redis"), peer: { namespace: "argocd" }, ports: [{ port: 6379 }] },
        { name: "redis-ha", forPods: { app: "redis-ha" }, peer: { namespace: "argocd" }, ports: [{ port: 6379 }, { port: 26379 }] },
        { name: "redis-ha-haproxy", forPods: app("argocd-redis-ha-haproxy"), peer: { namespace: "argocd" }, ports: [{ port: 6379 }] },
      ],
      egress: [
        kubernetesApiOut,
        { name: "in-namespace", peer: { namespace: "argocd" }, ports: [{ port: 8081 }, { port: 6379 }, { port: 26379 }] },
        { name: "git-and-charts", forPods: app("argocd-repo-server"), peer: { internet: true }, ports: [{ port: 443 }] },
        { name: "identity-provider", forPods: app("argocd-server"), peer: { internet: true }, ports: [{ port: 443 }] },
      ],
      quota: sizes.argocd,
    },
    // The Rollouts controller: reconciles Rollouts and re-weights VirtualServices through the API server, and runs the
    // AnalysisTemplates' queries against the platform's Prometheus.
    "argo-rollouts": {
      ...common,
      mesh: "none",
      metricsPorts: [],
      ingress: [],
      egress: [kubernetesApiOut, { name: "prometheus", forPods: ROLLOUTS, peer: { namespace: "monitoring", podLabels: PROMETHEUS }, ports: [{ port: 9090 }] }],
      quota: sizes.controller,
    },
    // Tempo: the collector writes OTLP gRPC, Grafana queries the HTTP API; Tempo reaches S3 (trace blocks) and STS (its
    // IRSA role) over HTTPS, through NAT or the VPC's endpoints. The write-ahead log is on a volume.
    tempo: {
      ...common,
      mesh: "none",
      metricsPorts: [3200],
      ingress: [
        { name: "otel-collector", forPods: TEMPO, peer: { namespace: "opentelemetry", podLabels: OTEL_COLLECTOR }, ports: [{ port: 4317 }] },
        { name: "grafana", forPods: TEMPO, peer: { namespace: "monitoring", podLabels: GRAFANA }, ports: [{ port: 3200 }] },
      ],
      egress: [
        { name: "aws-apis", forPods: TEMPO, peer: { internet: true }, ports: [{ port: 443 }] },
        { name: "aws-endpoints", forPods: TEMPO, peer: { vpcEndpoints: true }, ports: [{ port: 443 }] },
      ],
      quota: { ...sizes.controller, requestsStorage: "50Gi", persistentVolumeClaims: 2 },
    },
    // The OpenTelemetry Collector: the team namespaces send it OTLP (allows derived from security.namespaces.teams when
    // the environment traces); it sends to Tempo alone. Prometheus scrapes its telemetry (8888) and span metrics (8889).
    opentelemetry: {
      ...common,
      mesh: "none",
      metricsPorts: [8888, 8889],
      ingress: [],
      egress: [{ name: "tempo", forPods: OTEL_COLLECTOR, peer: { namespace: "tempo", podLabels: TEMPO }, ports: [{ port: 4317 }] }],
      quota: sizes.controller,
    },
    // Velero: the API server for what it backs up and restores; S3, EC2 (snapshots), KMS and STS over HTTPS, through NAT
    // or the interface endpoints where the environment has them. Nothing calls it but Prometheus.
    velero: {
      ...common,
      mesh: "none",
      metricsPorts: [8085],
      ingress: [],
      egress: [
        kubernetesApiOut,
        { name: "aws-apis", peer: { internet: true }, ports: [{ port: 443 }] },
        { name: "aws-endpoints", peer: { vpcEndpoints: true }, ports: [{ port: 443 }] },
      ],
      quota: sizes.controller,
    },
    "cert-manager": {
      ...common,
      mesh: "none",
      metricsPorts: [9402],
      ingress: [{ name: "webhook", forPods: app("webhook"), peer: { kubernetesApi: true }, ports: [{ port: 10250 }] }],
      // What the issuer needs (ACME and DNS-01, or AWS Private CA) follows security.certManager.issuer, in the stack.
      egress: [kubernetesApiOut],
      quota: sizes.controller,
    },
  };
}

/**
 * A team's application namespace: in the mesh, its pods reaching each other on 8080. The ingress gateway reaches it
 * only where security.mesh.expose says so.
 */
export function teamNamespace(name: string, quota: NamespaceSettings["quota"]): NamespaceSettings {
  return {
    mesh: "sidecar",
    metricsPorts: [8080],
    ingress: [{ name: "same-namespace", peer: { namespace: name }, ports: [{ port: 8080 }] }],
    egress: [{ name: "same-namespace", peer: { namespace: name }, ports: [{ port: 8080 }] }],
    quota,
    containerDefaults: { requestCpu: "100m", requestMemory: "128Mi", limitMemory: "512Mi" },
  };
}
