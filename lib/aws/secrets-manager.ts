/** Secrets Manager path prefixes that scope an environment's secrets (and the IAM policies that read them). */

const PREFIX = /^[A-Za-z0-9_+=.@-]+(\/[A-Za-z0-9_+=.@-]+)*$/;

export const SECRETS_MANAGER_PREFIX_RULE = "a Secrets Manager path such as sre-platform/dev (no wildcard, no leading or trailing '/')";

/** True for a prefix that an IAM resource `secret:<prefix>/*` scopes to exactly that path. */
export function isSecretsManagerPrefix(prefix: string): boolean {
  return PREFIX.test(prefix);
}

/** True when `name` is a secret under `prefix/`. */
export function isUnderPrefix(name: string, prefix: string): boolean {
  return name.startsWith(`${prefix}/`) && isSecretsManagerPrefix(name);
}
