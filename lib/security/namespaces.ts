/**
 * Names the zero-trust parts share: the platform's own namespaces and the namespace label that puts a namespace's
 * pods into the mesh. One home, so the namespace baseline that creates a namespace, the chart installed into it and
 * the policies that allow traffic to it agree.
 */

/** Istio's control plane (istiod, CNI node agent) and the mesh root namespace: mesh-wide policies live here. */
export const ISTIO_SYSTEM_NAMESPACE = "istio-system";
/** The mesh's ingress gateway, apart from the control plane so its exposure never touches istiod's namespace. */
export const ISTIO_INGRESS_NAMESPACE = "istio-ingress";
/** Falco and falcosidekick. */
export const FALCO_NAMESPACE = "falco";
/** cert-manager's controller, webhook and CA injector. */
export const CERT_MANAGER_NAMESPACE = "cert-manager";

/** How a namespace's pods join the mesh: `sidecar` (an Envoy per pod, injected by istiod) or not at all. */
export const MESH_MODES = ["sidecar", "none"] as const;
export type MeshMode = (typeof MESH_MODES)[number];

/** The namespace label istiod's injection webhook selects on. */
export const MESH_INJECTION_LABEL = "istio-injection";

/**
 * Labels that put a namespace in the mesh or keep it out. `none` says `disabled` explicitly rather than leaving the
 * label off, so a namespace is never in the mesh by accident of a later default.
 */
export function meshNamespaceLabels(mode: MeshMode): Readonly<Record<string, string>> {
  return { [MESH_INJECTION_LABEL]: mode === "sidecar" ? "enabled" : "disabled" };
}

/** External Secrets Operator (controller, webhook, cert controller). */
export const EXTERNAL_SECRETS_NAMESPACE = "external-secrets";
/** Helm release name of external-secrets; its Deployments are named after it (`<release>`, `<release>-webhook`, …). */
export const EXTERNAL_SECRETS_RELEASE = "external-secrets";
