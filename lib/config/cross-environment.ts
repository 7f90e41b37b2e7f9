import { ecrRegistryAccount } from "../aws/ecr";
import type { ValidationProblem } from "../problems";
import type { EnvironmentConfig } from "./environment-schema";

/**
 * The rules between environments that catch what a copied environment file keeps of its original: its account, an ECR registry
 * of another environment's account, a name (secret prefix, channel, mailbox, state key, cluster) that names another
 * environment, and a DNS zone another environment's certificates are issued in. Each would wire the new environment
 * to the old one's resources: admission trusting its images, alerts in its channel, its secrets, its certificates.
 * @param config the environment checked
 * @param others every other environment
 */
export function crossEnvironmentProblems(config: EnvironmentConfig, others: readonly EnvironmentConfig[]): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  for (const other of others) {
    if (other.name === config.name) continue;
    if (config.account === other.account) {
      problems.push({
        path: "account",
        value: config.account,
        allowed: `an account of this environment's own, not environment "${other.name}"'s: roles, state and keys are kept apart by account (the deploy role of one could read the other's state)`,
      });
    }
    config.security.admission.allowedRegistries.forEach((registry, i) => {
      if (ecrRegistryAccount(registry) === other.account && other.account !== config.account) {
        problems.push({
          path: `security.admission.allowedRegistries[${i}]`,
          value: registry,
          allowed: `a registry of this environment's own account ${config.account} (or a shared one), not environment "${other.name}"'s account ${other.account}: admission would trust images pushed there`,
        });
      }
    });
    for (const [path, value] of namedFields(config)) {
      if (namesEnvironment(value, other.name, config.name)) {
        problems.push({ path, value, allowed: `a name of this environment ("${config.name}"), not of environment "${other.name}"` });
      }
    }
    const zones = acmeZones(other);
    acmeZones(config).forEach((zone, i) => {
      const shared = zones.find((z) => z.zoneId === zone.zoneId || sameDomain(z.domain, zone.domain));
      if (shared) {
        const field = shared.zoneId === zone.zoneId ? "zoneId" : "domain";
        problems.push({
          path: `security.certManager.issuer.hostedZones[${i}].${field}`,
          value: zone[field],
          allowed: `a hosted zone of this environment's own, not environment "${other.name}"'s (${shared.zoneId}, ${shared.domain}): its DNS-01 solver would write records in that zone`,
        });
      }
    });
  }
  return problems;
}

/** The environment's own names, by field path: each should name this environment or none. */
function namedFields(c: EnvironmentConfig): Array<[string, string]> {
  const fields: Array<[string, string | undefined]> = [
    ["cluster.name", c.cluster.name],
    ["backend.bucket", c.backend.bucket],
    ["backend.keyPrefix", c.backend.keyPrefix],
    ["backend.dynamodbTable", c.backend.dynamodbTable],
    ["platform.externalSecrets.secretsManagerPrefix", c.platform.externalSecrets.secretsManagerPrefix],
    ["alerting.slack.channel", c.alerting?.slack.channel],
    ["alerting.email.to", c.alerting?.email.to],
    ...Object.entries(c.alerting?.teams ?? {}).flatMap(([team, r]): Array<[string, string | undefined]> => [
      [`alerting.teams.${team}.slack.channel`, r.slack.channel],
      [`alerting.teams.${team}.email.to`, r.email.to],
    ]),
    ["security.certManager.issuer.email", c.security.certManager.issuer.type === "acme" ? c.security.certManager.issuer.email : undefined],
  ];
  return fields.filter((f): f is [string, string] => f[1] !== undefined);
}

/**
 * True when `value` names environment `name` as a word of its own (`#alerts-staging`, `sre-platform/staging`), after
 * removing the mentions of the environment's own name, so `prod-eu`'s `sre-platform/prod-eu` does not name `prod`.
 */
export function namesEnvironment(value: string, name: string, ownName: string): boolean {
  const word = (w: string) => new RegExp(`(^|[^a-z0-9])${escape(w)}(?=$|[^a-z0-9])`, "gi");
  return word(name).test(value.replace(word(ownName), "$1"));
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function acmeZones(c: EnvironmentConfig): ReadonlyArray<{ zoneId: string; domain: string }> {
  const issuer = c.security.certManager.issuer;
  return issuer.type === "acme" ? issuer.hostedZones : [];
}

function sameDomain(a: string, b: string): boolean {
  return a.replace(/\.$/, "").toLowerCase() === b.replace(/\.$/, "").toLowerCase();
}
