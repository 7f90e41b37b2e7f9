/**
 * Image registries: the rule a configured entry must follow, and how an image is matched against an entry. The
 * registries the platform's own charts pull from are each add-on's (`registries` and `images` of its descriptor).
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
