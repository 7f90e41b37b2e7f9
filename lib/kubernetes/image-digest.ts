/**
 * An OCI image digest. Pinning an image by digest (`tag@sha256:…`) makes a retagged or tampered image in the
 * registry fail to pull instead of running; the tag stays for people reading the manifest.
 */
export const IMAGE_DIGEST = /^sha256:[a-f0-9]{64}$/;

/** `v1.33.2` + `sha256:…` → `v1.33.2@sha256:…`, the form charts that render `repository:tag` accept. */
export function tagWithDigest(tag: string, digest?: string): string {
  return digest ? `${tag}@${digest}` : tag;
}
