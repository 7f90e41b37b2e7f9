import { Construct } from "constructs";
import type { IClusterAccess } from "../../cluster/cluster-access";
import { CustomResource, ICrdInstaller } from "../../kubernetes/custom-resource";
import { throwIfProblems, ValidationProblem, requireProps } from "../../common/validation";
import { isDnsLabel, isLabelValue, isQualifiedName } from "../../../lib/kubernetes/names";
import { constructKey } from "../../../lib/naming/construct-key";
import {
  GATEWAY_LISTENER_PORTS, INGRESS_GATEWAY_PRINCIPAL, INGRESS_GATEWAY_SELECTOR, isIstioReservedPort, ISTIO_MERGED_METRICS_PATH, MESH_PLAINTEXT_HOSTS,
  meshPrincipal,
} from "../../../lib/security/mesh";
import { ISTIO_INGRESS_NAMESPACE, ISTIO_SYSTEM_NAMESPACE } from "../../../lib/security/namespaces";
import { namespaceAllowPolicies } from "../../../lib/security/mesh-authorization";
import type { NetworkAllow } from "../../../lib/security/network-allow";
import { MONITORING_NAMESPACE, PROMETHEUS_SERVICE_ACCOUNT } from "../../../lib/observability/monitoring-selection";

/** A workload the ingress gateway may call. */
export interface MeshExposure {
  readonly namespace: string;
  /** Pods the gateway may reach (`matchLabels`). @default - every pod of the namespace */
  readonly selector?: Readonly<Record<string, string>>;
  /** Container ports the gateway may call. */
  readonly ports: readonly number[];
}

/** A webhook server in a meshed namespace, called by the API server, which has no mesh identity. */
export interface MeshWebhook {
  /** Names its policies `<name>-webhook`. */
  readonly name: string;
  readonly namespace: string;
  /** The webhook server's pods (`matchLabels`; port-level mTLS needs a workload selector). */
  readonly selector: Readonly<Record<string, string>>;
  /** The container port it listens on. */
  readonly port: number;
}

/** A namespace in the mesh and the ingress allows of its baseline, which the mesh must allow too. */
export interface MeshNamespaceAllows {
  readonly namespace: string;
  /** The baseline's ingress allows; only `namespace` peers have a mesh identity and get an ALLOW policy. */
  readonly ingress: readonly NetworkAllow[];
}

/** Mesh-wide defaults turned off, each by name. */
export interface MeshPolicyOptOuts {
  /** Mesh-wide mTLS PERMISSIVE instead of STRICT. @default false */
  readonly permissiveMtls?: boolean;
  /** No mesh-wide allow-nothing policy. @default false */
  readonly defaultDenyAuthorization?: boolean;
  /** No mesh-wide ISTIO_MUTUAL DestinationRule. @default false */
  readonly istioMutualDestinationRule?: boolean;
}

/** Props of {@link MeshPolicies}. */
export interface MeshPoliciesProps {
  /** The Istio `base` release, which installs the CRDs (e.g. `IstioMesh.base`), in an earlier stack. */
  readonly installedBy: ICrdInstaller;
  /** @default - the stack's default Kubernetes provider */
  readonly access?: IClusterAccess;
  /** @default [] */
  readonly expose?: readonly MeshExposure[];
  /** @default [] */
  readonly webhooks?: readonly MeshWebhook[];
  /**
   * The sidecar namespaces' own ingress allows, each turned into an ALLOW policy `baseline-<name>` (see
   * `namespaceAllowPolicies`), so what the NetworkPolicy allows between meshed pods the mesh's default deny allows too.
   * @default []
   */
  readonly namespaceAllows?: readonly MeshNamespaceAllows[];
  /** The mesh identity Prometheus scrapes with. @default - the platform Prometheus's service account in `monitoring` */
  readonly prometheusPrincipal?: string;
  /** Paths Prometheus may GET anywhere in the mesh. @default ["/metrics", "/stats/prometheus"] */
  readonly metricsPaths?: readonly string[];
  /** @default - every default on */
  readonly optOut?: MeshPolicyOptOuts;
  /**
   * More in-cluster hosts without a sidecar that meshed pods call, by name → host (e.g. the platform's OpenTelemetry
   * Collector): each gets a `DISABLE` DestinationRule beside the API server's and CoreDNS's, since a sidecar told
   * ISTIO_MUTUAL would wrap its traffic in mTLS the host cannot read.
   * @default {}
   */
  readonly plaintextHosts?: Readonly<Record<string, string>>;
}

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace: string }; spec: Record<string, unknown> };

function authorizationPolicy(name: string, namespace: string, spec: Record<string, unknown>): Manifest {
  return { apiVersion: "security.istio.io/v1", kind: "AuthorizationPolicy", metadata: { name, namespace }, spec };
}

/**
 * The mesh's zero-trust policy, in the root namespace unless it concerns one workload: STRICT mTLS, an allow-nothing
 * AuthorizationPolicy (so every request needs an explicit ALLOW), the ALLOWs the platform itself needs (Prometheus,
 * the ingress gateway and what config exposes behind it, the API server's webhook calls) and ISTIO_MUTUAL for every
 * in-cluster destination except the API server and CoreDNS.
 *
 * Health checks need no policy: the sidecar rewrites the kubelet's HTTP, gRPC and TCP probes to its agent port (15020),
 * which Envoy does not intercept, so neither mTLS nor authorization applies to them. The sidecars' merged metrics are
 * served on that same port, which is why the Prometheus ALLOW below only matters for apps scraped on their own ports.
 * @see https://istio.io/latest/docs/ops/configuration/security/security-policy-examples/
 */
export class MeshPolicies extends Construct {
  /** Every object, by construct id. */
  public readonly resources: Readonly<Record<string, CustomResource>>;
  public readonly mtlsMode: "STRICT" | "PERMISSIVE";

  constructor(scope: Construct, id: string, props: MeshPoliciesProps) {
    super(scope, id);
    requireProps(this, props, { installedBy: "the Istio base release that installs the mesh CRDs (IstioMesh.base)" });
    throwIfProblems(this.node.path, validateMeshPoliciesProps(props));
    const optOut = props.optOut ?? {};
    this.mtlsMode = optOut.permissiveMtls ? "PERMISSIVE" : "STRICT";
    const resources: Record<string, CustomResource> = {};
    const add = (key: string, manifest: Manifest) => {
      resources[key] = new CustomResource(this, key, { manifest, installedBy: props.installedBy, access: props.access });
    };

    add("MeshMtls", { apiVersion: "security.istio.io/v1", kind: "PeerAuthentication", metadata: { name: "default", namespace: ISTIO_SYSTEM_NAMESPACE }, spec: { mtls: { mode: this.mtlsMode } } });
    if (!optOut.defaultDenyAuthorization) {
      // An ALLOW policy without rules matches nothing; in the root namespace it applies to every workload, so a
      // request is allowed only where another ALLOW names it.
      add("DefaultDeny", authorizationPolicy("allow-nothing", ISTIO_SYSTEM_NAMESPACE, {}));
    }
    const prometheus = props.prometheusPrincipal ?? meshPrincipal(MONITORING_NAMESPACE, PROMETHEUS_SERVICE_ACCOUNT);
    add(
      "AllowPrometheusScrape",
      authorizationPolicy("allow-prometheus-scrape", ISTIO_SYSTEM_NAMESPACE, {
        action: "ALLOW",
        rules: [{ from: [{ source: { principals: [prometheus] } }], to: [{ operation: { methods: ["GET"], paths: [...(props.metricsPaths ?? DEFAULT_METRICS_PATHS)] } }] }],
      }),
    );
    // The gateway is the edge: anyone may reach its listeners, its routes decide what goes further.
    add(
      "AllowIngressGateway",
      authorizationPolicy("allow-ingress-listeners", ISTIO_INGRESS_NAMESPACE, {
        selector: { matchLabels: { ...INGRESS_GATEWAY_SELECTOR } },
        action: "ALLOW",
        rules: [{ to: [{ operation: { ports: Object.values(GATEWAY_LISTENER_PORTS).map(String) } }] }],
      }),
    );
    for (const e of props.expose ?? []) {
      const name = exposureName(e);
      add(
        `AllowIngressTo-${constructKey(`${e.namespace}-${name}`)}`,
        authorizationPolicy(name, e.namespace, {
          ...(e.selector ? { selector: { matchLabels: { ...e.selector } } } : {}),
          action: "ALLOW",
          rules: [{ from: [{ source: { principals: [INGRESS_GATEWAY_PRINCIPAL] } }], to: [{ operation: { ports: e.ports.map(String) } }] }],
        }),
      );
    }
    for (const w of props.webhooks ?? []) {
      const selector = { matchLabels: { ...w.selector } };
      // The API server presents no mesh certificate: plain text is accepted on the webhook port only, and the port
      // is open to callers without an identity; every other port of the pod keeps the mesh's mode and the deny.
      add(`Webhook-${w.name}-Mtls`, {
        apiVersion: "security.istio.io/v1",
        kind: "PeerAuthentication",
        metadata: { name: `${w.name}-webhook`, namespace: w.namespace },
        spec: { selector, portLevelMtls: { [String(w.port)]: { mode: "PERMISSIVE" } } },
      });
      add(`Webhook-${w.name}-Allow`, authorizationPolicy(`${w.name}-webhook`, w.namespace, { selector, action: "ALLOW", rules: [{ to: [{ operation: { ports: [String(w.port)] } }] }] }));
    }
    for (const n of props.namespaceAllows ?? []) {
      for (const policy of namespaceAllowPolicies(n.namespace, n.ingress)) {
        add(`NamespaceAllow-${constructKey(`${n.namespace}-${policy.metadata.name}`)}`, { ...policy, metadata: { ...policy.metadata }, spec: policy.spec });
      }
    }
    if (!optOut.istioMutualDestinationRule) {
      add("MeshIstioMutual", destinationRule("default", "*.local", "ISTIO_MUTUAL"));
      // Services without a sidecar that every meshed pod calls keep their own protocol (the API server its TLS).
      for (const [name, host] of Object.entries({ ...MESH_PLAINTEXT_HOSTS, ...props.plaintextHosts })) add(`NoMeshTlsTo-${name}`, destinationRule(name, host, "DISABLE"));
    }
    this.resources = resources;
  }
}

const DEFAULT_METRICS_PATHS: readonly string[] = ["/metrics", ISTIO_MERGED_METRICS_PATH];

function destinationRule(name: string, host: string, mode: "ISTIO_MUTUAL" | "DISABLE"): Manifest {
  return { apiVersion: "networking.istio.io/v1", kind: "DestinationRule", metadata: { name, namespace: ISTIO_SYSTEM_NAMESPACE }, spec: { host, trafficPolicy: { tls: { mode } } } };
}

/** `allow-ingress` or `allow-ingress-<label values>`: one policy per namespace and selector. */
function exposureName(e: MeshExposure): string {
  const suffix = Object.values(e.selector ?? {}).join("-").toLowerCase().replace(/[^a-z0-9-]/g, "-");
  return (suffix ? `allow-ingress-${suffix}` : "allow-ingress").slice(0, 63).replace(/-+$/, "");
}

function checkSelector(path: string, selector: Readonly<Record<string, string>> | undefined, required: boolean, problems: ValidationProblem[]): void {
  if (selector === undefined) {
    if (required) problems.push({ path, value: selector, allowed: "matchLabels with at least one label (port-level mTLS needs a workload selector)" });
    return;
  }
  if (Object.keys(selector).length === 0) problems.push({ path, value: selector, allowed: "at least one label, or leave it out" });
  for (const [k, v] of Object.entries(selector)) {
    if (!isQualifiedName(k) || !isLabelValue(v)) problems.push({ path: `${path}["${k}"]`, value: v, allowed: "a label key ([prefix/]name) and value" });
  }
}

function checkPort(path: string, port: number, problems: ValidationProblem[]): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535 || isIstioReservedPort(port)) {
    problems.push({ path, value: port, allowed: "a port 1–65535 outside 15000–15099 (Istio's own)" });
  }
}

/** Checks {@link MeshPoliciesProps} without building anything. */
export function validateMeshPoliciesProps(props: MeshPoliciesProps): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const seen = new Set<string>();
  (props.expose ?? []).forEach((e, i) => {
    const at = `expose[${i}]`;
    if (!isDnsLabel(e.namespace ?? "") || e.namespace === ISTIO_SYSTEM_NAMESPACE) {
      problems.push({ path: `${at}.namespace`, value: e.namespace, allowed: `a workload namespace name (not ${ISTIO_SYSTEM_NAMESPACE})` });
    }
    checkSelector(`${at}.selector`, e.selector, false, problems);
    if (!e.ports?.length) problems.push({ path: `${at}.ports`, value: e.ports, allowed: "at least one port" });
    (e.ports ?? []).forEach((p, j) => checkPort(`${at}.ports[${j}]`, p, problems));
    const key = `${e.namespace}/${exposureName(e)}`;
    if (seen.has(key)) problems.push({ path: at, value: key, allowed: "one entry per namespace and selector" });
    seen.add(key);
  });
  const names = new Set<string>();
  (props.webhooks ?? []).forEach((w, i) => {
    const at = `webhooks[${i}]`;
    if (!/^[a-z][a-z0-9-]{0,40}$/.test(w.name ?? "") || names.has(w.name)) {
      problems.push({ path: `${at}.name`, value: w.name, allowed: "a unique name: lowercase letters, digits and '-', at most 41 characters" });
    }
    names.add(w.name);
    if (!isDnsLabel(w.namespace ?? "")) problems.push({ path: `${at}.namespace`, value: w.namespace, allowed: "a namespace name" });
    checkSelector(`${at}.selector`, w.selector, true, problems);
    checkPort(`${at}.port`, w.port, problems);
  });
  const namespaces = new Set<string>();
  (props.namespaceAllows ?? []).forEach((n, i) => {
    if (!isDnsLabel(n.namespace ?? "") || n.namespace === ISTIO_SYSTEM_NAMESPACE || namespaces.has(n.namespace)) {
      problems.push({ path: `namespaceAllows[${i}].namespace`, value: n.namespace, allowed: `a workload namespace name (not ${ISTIO_SYSTEM_NAMESPACE}), once` });
    }
    namespaces.add(n.namespace);
  });
  if (props.metricsPaths !== undefined && (props.metricsPaths.length === 0 || props.metricsPaths.some((p) => !p.startsWith("/")))) {
    problems.push({ path: "metricsPaths", value: props.metricsPaths, allowed: "at least one absolute path such as /metrics" });
  }
  return problems;
}
