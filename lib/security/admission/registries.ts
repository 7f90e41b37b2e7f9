import { re2Literal } from "./cel";

/**
 * Image registries and repositories: the rules a configured entry must follow, and how an image is matched against an
 * entry. The entries the platform's own charts pull from are each add-on's (`registries`, `repositories` and `images`
 * of its descriptor). Two kinds of entry, never confused: a registry entry admits everything under it (on a `/`
 * boundary), a repository entry admits that one repository's tags and digests only.
 */

/**
 * An allowed-registry entry: a registry host that contains a dot or a port (so it can never be read as a Docker Hub
 * shorthand), optionally followed by repository path segments, no trailing slash, no tag.
 */
export const IMAGE_REGISTRY = /^(?=[^/]*[.:])[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;
export const IMAGE_REGISTRY_RULE = "a registry host with a dot or port, optionally with a repository path, e.g. quay.io/prometheus or 111111111111.dkr.ecr.eu-west-1.amazonaws.com (no scheme, tag or trailing slash)";

/**
 * True when `image` comes from `registry`: the image's name starts with the entry followed by `/`, so `quay.io/prom`
 * never admits `quay.io/prometheus/…`. Images without a registry host (`nginx:1.27`) match nothing: Docker Hub
 * shorthand hides where an image comes from. The admission policy's CEL does the same test.
 */
export function imageFromRegistry(image: string, registry: string): boolean {
  return image.startsWith(`${registry}/`);
}

/**
 * An allowed-repository entry: a registry host (with a dot or port) and at least one repository path segment, no tag
 * or digest, no trailing slash (`ghcr.io/org/repo`).
 */
export const IMAGE_REPOSITORY = /^(?=[^/]*[.:])[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*)+$/;
export const IMAGE_REPOSITORY_RULE = "a registry host with a dot or port and the repository's path, e.g. docker.io/grafana/grafana (no scheme, tag, digest or trailing slash)";

/**
 * The RE2 pattern of the images a repository entry admits: exactly the repository, optionally followed by a tag
 * and/or a digest (`:` or `@`, then no further `/`), so `ghcr.io/org/repo` admits `ghcr.io/org/repo:1.0@sha256:…` but
 * never `ghcr.io/org/repo-evil:1.0` nor `ghcr.io/org/repo/sub:1`. The admission policy's CEL uses this pattern.
 */
export function repositoryImagePattern(repository: string): string {
  return `^${re2Literal(repository)}([:@][^/]*)?$`;
}

/** True when `image` is `repository` itself, by tag or digest ({@link repositoryImagePattern}). */
export function imageFromRepository(image: string, repository: string): boolean {
  return new RegExp(repositoryImagePattern(repository)).test(image);
}
