/**
 * The hardened security context every platform workload runs with: one definition, used by every add-on's chart
 * values and by the test that walks them. It is what Checkov's and Trivy's Kubernetes workload checks ask for and
 * what Pod Security Standards `restricted` admits: a non-root user, no privilege escalation, every Linux capability
 * dropped, a read-only root filesystem and the container runtime's default seccomp profile.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */

/** The numeric user and group a container runs as (`nobody` unless the image is built for another). */
export interface RunAsIds {
  /** @default 65534 */
  readonly user?: number;
  /** @default 65534 */
  readonly group?: number;
}

/** The unprivileged `nobody` user and group; images built for another non-root user pass their own ids. */
export const NOBODY = 65534;

/** Container-level settings: the part a pod-level context cannot express (capabilities, escalation, root FS). */
export interface HardenedContainerSecurityContext {
  readonly runAsNonRoot: true;
  readonly runAsUser: number;
  readonly runAsGroup: number;
  readonly allowPrivilegeEscalation: false;
  readonly privileged: false;
  readonly readOnlyRootFilesystem: true;
  readonly capabilities: { readonly drop: ["ALL"] };
  readonly seccompProfile: { readonly type: "RuntimeDefault" };
}

/** Pod-level settings: inherited by every container, including those a chart does not let us configure. */
export interface HardenedPodSecurityContext {
  readonly runAsNonRoot: true;
  readonly runAsUser: number;
  readonly runAsGroup: number;
  readonly fsGroup: number;
  readonly seccompProfile: { readonly type: "RuntimeDefault" };
}

/** The container security context, as a fresh object (charts and deep merges may add to it). */
export function hardenedContainerSecurityContext(ids: RunAsIds = {}): HardenedContainerSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: ids.user ?? NOBODY,
    runAsGroup: ids.group ?? NOBODY,
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/**
 * The part of the hardened container context a container that must run as root can still take (no escalation, not
 * privileged, every capability dropped, RuntimeDefault seccomp): for an init container that writes into a volume
 * owned by root, such as Falco's rules installer.
 */
export function unprivilegedRootContainerSecurityContext(): Pick<HardenedContainerSecurityContext, "allowPrivilegeEscalation" | "privileged" | "capabilities" | "seccompProfile"> {
  const { allowPrivilegeEscalation, privileged, capabilities, seccompProfile } = hardenedContainerSecurityContext();
  return { allowPrivilegeEscalation, privileged, capabilities, seccompProfile };
}

/** The pod security context; `fsGroup` makes mounted volumes writable for the non-root group. */
export function hardenedPodSecurityContext(ids: RunAsIds = {}): HardenedPodSecurityContext {
  const group = ids.group ?? NOBODY;
  return { runAsNonRoot: true, runAsUser: ids.user ?? NOBODY, runAsGroup: group, fsGroup: group, seccompProfile: { type: "RuntimeDefault" } };
}

/**
 * What a container security context lacks of the hardened one, by setting (empty when it is hardened). A pod-level
 * context is passed as `pod`: `runAsNonRoot` and `seccompProfile` count when set on either level, as Kubernetes
 * applies them.
 */
export function missingContainerHardening(container: unknown, pod: unknown = {}): string[] {
  const c = asRecord(container);
  const p = asRecord(pod);
  const missing: string[] = [];
  if (c.runAsNonRoot !== true && !(c.runAsNonRoot === undefined && p.runAsNonRoot === true)) missing.push("runAsNonRoot");
  if (c.allowPrivilegeEscalation !== false) missing.push("allowPrivilegeEscalation");
  if (c.privileged === true) missing.push("privileged");
  if (c.readOnlyRootFilesystem !== true) missing.push("readOnlyRootFilesystem");
  const drop = asRecord(c.capabilities).drop;
  if (!Array.isArray(drop) || !drop.includes("ALL")) missing.push("capabilities.drop");
  const add = asRecord(c.capabilities).add;
  if (Array.isArray(add) && add.length > 0) missing.push("capabilities.add");
  const seccomp = asRecord(c.seccompProfile).type ?? asRecord(p.seccompProfile).type;
  if (seccomp !== "RuntimeDefault") missing.push("seccompProfile");
  return missing;
}

/** What a pod security context lacks of the hardened one (empty when it is hardened). */
export function missingPodHardening(pod: unknown): string[] {
  const p = asRecord(pod);
  const missing: string[] = [];
  if (p.runAsNonRoot !== true) missing.push("runAsNonRoot");
  if (p.runAsUser === 0) missing.push("runAsUser");
  if (asRecord(p.seccompProfile).type !== "RuntimeDefault") missing.push("seccompProfile");
  return missing;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
