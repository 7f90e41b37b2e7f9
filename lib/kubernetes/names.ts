/**
 * Kubernetes naming rules, shared by configuration validation and the constructs.
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/names/
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set
 */

const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** True for an RFC 1123 label (namespaces, Helm release names, Service names): ≤ 63 lowercase alphanumerics and '-'. */
export function isDnsLabel(name: string): boolean {
  return DNS_LABEL.test(name);
}

/** True for an RFC 1123 subdomain (most object names, e.g. ServiceAccount, StorageClass): ≤ 253 characters of dot-separated labels. */
export function isDnsSubdomain(name: string): boolean {
  return name.length <= 253 && DNS_SUBDOMAIN.test(name);
}

/** True for a qualified name (label, annotation or taint key): an optional DNS-subdomain prefix and '/', then ≤ 63 characters. */
export function isQualifiedName(key: string): boolean {
  const parts = key.split("/");
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1] ?? "";
  if (parts.length === 2) {
    const prefix = parts[0] ?? "";
    if (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)) return false;
  }
  return LABEL_NAME.test(name);
}

/** True for a label (or taint) value: empty, or ≤ 63 alphanumerics, '-', '_' and '.', alphanumeric at both ends. */
export function isLabelValue(value: string): boolean {
  return LABEL_VALUE.test(value);
}
