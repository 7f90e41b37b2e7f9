import type { EnvironmentConfig } from "../lib/config/environment-schema";
import { DEFAULT_KUBERNETES_VERSION } from "../lib/eks/versions";
import type { AdmissionConfig } from "../lib/config/security/admission";
import { PLATFORM_IMAGE_REGISTRIES } from "../lib/security/admission/registries";
import { ADMISSION_POLICY_KEYS } from "../lib/security/admission/policies";
import { KUBE_PROMETHEUS_STACK_RELEASE, MONITORING_NAMESPACE, NODE_EXPORTER_NAMESPACE } from "../lib/observability/monitoring-selection";
import { CERT_MANAGER_NAMESPACE, EXTERNAL_SECRETS_NAMESPACE, EXTERNAL_SECRETS_RELEASE, ISTIO_SYSTEM_NAMESPACE } from "../lib/security/namespaces";
import { CERT_MANAGER_RELEASE } from "../lib/security/certificates";

/**
 * What every environment shares unless it says otherwise. Environments spread these sections and
 * override fields; the result is validated as a whole by `loadEnvironments()`.
 */
export const shared = {
  // Each environment names its own state bucket and key, in its own account (see the README).
  backend: {
    region: "eu-west-1",
    locking: "s3-lockfile",
  },
  network: {
    intraSubnets: true,
    interfaceEndpoints: [],
    flowLogRetentionDays: 365,
    reservedCidrs: ["10.0.0.0/16"],
  },
  cluster: {
    kubernetesVersion: DEFAULT_KUBERNETES_VERSION,
    publicAccessCidrs: [],
    privateAccessCidrs: [],
    access: [],
    addonVersions: {},
    logRetentionDays: 365,
  },
  storage: {
    efs: true,
    noncurrentVersionExpirationDays: 90,
  },
  platform: {
    // Scales the managed node groups as they are. Karpenter is the alternative: an environment that picks it
    // lists its node pools (platform.karpenter), applied by the platform-resources layer after the CRDs exist.
    autoscaler: "cluster-autoscaler",
    metricsServer: true,
  },
  tags: {
    Owner: "platform-team",
    CostCentre: "cc-1042",
    ManagedBy: "sre-platform",
  },
  slo: {
    specs: ["environments/slos/checkout-api.yaml", "environments/slos/payments-worker.yaml"],
  },
  // The on-call team works from Dublin; P1 pages reach PagerDuty in these hours and Slack outside them.
  alerting: {
    businessHours: { location: "Europe/Dublin", weekdays: ["monday:friday"], times: [{ start: "09:00", end: "17:30" }] },
    email: { from: "alertmanager@example.com", smarthost: "smtp.example.com:587", authUsername: "alertmanager" },
  },
} as const satisfies {
  backend: Partial<EnvironmentConfig["backend"]>;
  network: Partial<EnvironmentConfig["network"]>;
  cluster: Partial<EnvironmentConfig["cluster"]>;
  storage: Omit<EnvironmentConfig["storage"], "reclaimPolicy">;
  platform: Omit<EnvironmentConfig["platform"], "externalSecrets">;
  tags: EnvironmentConfig["tags"];
  slo: EnvironmentConfig["slo"];
  alerting: { businessHours: NonNullable<EnvironmentConfig["alerting"]>["businessHours"]; email: Omit<NonNullable<EnvironmentConfig["alerting"]>["email"], "to"> };
};

/**
 * Admission policy every environment shares; each adds its mode and its own account's ECR registry. The exemptions are
 * the components that truly need more than the policies allow, each with its reason.
 */
export function sharedAdmission(mode: AdmissionConfig["mode"], account: string, region: string): AdmissionConfig {
  return {
    mode,
    // The platform's charts, and the environment's own ECR for the teams' images: nothing else runs.
    allowedRegistries: [...PLATFORM_IMAGE_REGISTRIES, `${account}.dkr.ecr.${region}.amazonaws.com`],
    exemptNamespaces: [
      {
        namespace: "kube-system",
        policies: [...ADMISSION_POLICY_KEYS],
        reason:
          "EKS managed add-ons (VPC CNI, kube-proxy, EBS CSI node) run privileged on the host network from AWS's per-region registries; only cluster administrators deploy here",
      },
      {
        namespace: ISTIO_SYSTEM_NAMESPACE,
        policies: ["privilegedContainers", "hostNamespaces", "probes"],
        reason:
          "the Istio CNI node agent sets up every meshed pod's traffic redirection from the node (root, host paths, network capabilities), and istiod's chart gives it a readiness probe but no liveness probe",
      },
    ],
    exemptWorkloads: [
      {
        namespace: NODE_EXPORTER_NAMESPACE,
        kind: "DaemonSet",
        name: `${KUBE_PROMETHEUS_STACK_RELEASE}-prometheus-node-exporter`,
        policies: ["hostNamespaces"],
        reason: "node-exporter reports the node's own network and process statistics, which it can only read from the host's network and PID namespaces",
      },
      {
        namespace: EXTERNAL_SECRETS_NAMESPACE,
        kind: "Deployment",
        name: EXTERNAL_SECRETS_RELEASE,
        policies: ["probes"],
        reason: "the external-secrets chart (2.6.0) offers the controller a liveness probe (turned on) but no readiness probe",
      },
      ...["webhook", "cert-controller"].map((component) => ({
        namespace: EXTERNAL_SECRETS_NAMESPACE,
        kind: "Deployment" as const,
        name: `${EXTERNAL_SECRETS_RELEASE}-${component}`,
        policies: ["probes" as const],
        reason: `the external-secrets chart (2.6.0) gives its ${component} a readiness probe but no liveness probe`,
      })),
      {
        namespace: MONITORING_NAMESPACE,
        kind: "Deployment",
        name: `${KUBE_PROMETHEUS_STACK_RELEASE}-grafana`,
        policies: ["probes"],
        reason: "Grafana's dashboard sidecar (k8s-sidecar) has no probes in the pinned chart's defaults; Grafana's own container has both",
      },
      ...[
        { name: CERT_MANAGER_RELEASE, what: "its controller a liveness probe but no readiness probe" },
        { name: `${CERT_MANAGER_RELEASE}-cainjector`, what: "its CA injector no probe at all" },
      ].map((w) => ({
        namespace: CERT_MANAGER_NAMESPACE,
        kind: "Deployment" as const,
        name: w.name,
        policies: ["probes" as const],
        reason: `the cert-manager chart (v1.21.1) gives ${w.what}`,
      })),
    ],
    probeExemptContainers: [
      {
        name: "istio-proxy",
        probes: ["livenessProbe"],
        reason: "the sidecar istiod injects into every meshed pod (and the ingress gateway) has a readiness probe and no liveness probe; its agent restarts Envoy itself",
      },
    ],
  };
}
