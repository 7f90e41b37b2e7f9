import { z } from "zod";
import { cidrsOverlap, isValidCidr, parseCidr, subnetPlanProblems } from "../net";
import { nodeGroupNamePrefixProblem } from "../eks/node-group-names";
import { addonVersionProblem, EKS_MANAGED_ADDON_KEYS, REVIEWED_ADDON_VERSIONS, runsManagedAddon } from "../eks/addon-versions";
import { isLabelValue, isQualifiedName } from "../kubernetes/names";
import { validateAlertRouting } from "../observability/alertmanager/validate";
import { smsSchemaProblem } from "../observability/alertmanager/sms";
import { serviceOverrideProblems } from "../slo/service-overrides";
import { formatProblems, ValidationProblem } from "../problems";
import { parseArn } from "../aws/arns";
import { suggest } from "../did-you-mean";
import { MIN_PUBLIC_ACCESS_PREFIX } from "../eks/public-access";
import { EnvironmentConfig, EnvironmentSchema } from "./environment-schema";
import { platformProblems } from "./validate-platform";
import { falcoOutboundProblems } from "./security/falco";
import { namespacesProblems } from "./security/validate-namespaces";
import { crossEnvironmentProblems } from "./cross-environment";
import { deliveryProblems } from "../delivery/delivery-plan";
import { COST_ALLOCATION_TAGS } from "./cost-schema";
import { costProblems } from "./validate-cost";
import { backupProblems } from "../backup/backup-plan";

/**
 * Tags every environment must set (non-empty): the cost-allocation tags, which every resource carries; `Environment`
 * must equal the environment name.
 */
export const REQUIRED_TAGS = COST_ALLOCATION_TAGS;

/** Problems of one environment, or of the set of environments, found before any stack is built. */
export class ConfigError extends Error {
  /**
   * @param problemsByEnvironment every problem, by environment name
   * @param sources the file each environment is written in (`environments/qa.ts`), by name: each line then starts
   *   with it, so the user knows which file to open
   */
  constructor(
    public readonly problemsByEnvironment: ReadonlyMap<string, readonly ValidationProblem[]>,
    public readonly sources: ReadonlyMap<string, string> = new Map(),
  ) {
    super(
      [...problemsByEnvironment]
        .map(([env, problems]) => formatProblems(`${sources.has(env) ? `${sources.get(env)}: ` : ""}environment "${env}"`, problems))
        .join("\n"),
    );
    this.name = "ConfigError";
  }

  /** The same problems, each line naming the file of its environment where `sources` knows it. */
  withSources(sources: ReadonlyMap<string, string>): ConfigError {
    return new ConfigError(this.problemsByEnvironment, new Map([...this.sources, ...sources]));
  }
}

/**
 * Validates one environment's configuration: its shape (unknown keys, types, enums) through the
 * schema, then the rules that need several fields. Returns the typed configuration or every problem.
 */
export function validateEnvironment(input: unknown): { config?: EnvironmentConfig; problems: ValidationProblem[] } {
  const parsed = EnvironmentSchema.safeParse(input);
  if (!parsed.success) return { problems: zodProblems(parsed.error, input) };
  return { config: parsed.data, problems: semanticProblems(parsed.data) };
}

/**
 * Validates every environment and the rules between them (unique names, non-overlapping VPCs, no registry, name or
 * DNS zone of another environment: `crossEnvironmentProblems`).
 * @throws ConfigError naming every environment, field path, value given and what is allowed
 */
export function validateEnvironments(inputs: readonly unknown[]): EnvironmentConfig[] {
  const byEnv = new Map<string, ValidationProblem[]>();
  const configs: EnvironmentConfig[] = [];
  inputs.forEach((input, i) => {
    const { config, problems } = validateEnvironment(input);
    const name = nameOf(input) ?? `#${i}`;
    if (problems.length > 0) byEnv.set(name, [...(byEnv.get(name) ?? []), ...problems]);
    if (config) configs.push(config);
  });
  const seen = new Map<string, EnvironmentConfig>();
  for (const config of configs) {
    const add = (p: ValidationProblem) => byEnv.set(config.name, [...(byEnv.get(config.name) ?? []), p]);
    if (seen.has(config.name)) {
      add({ path: "name", value: config.name, allowed: "a name no other environment uses (a copied environment file sets its own name, account and region)" });
    }
    for (const other of seen.values()) {
      if (config.backend.bucket === other.backend.bucket) {
        add({
          path: "backend.bucket",
          value: config.backend.bucket,
          allowed: `a state bucket of this environment's own account, not environment "${other.name}"'s: whoever can write another environment's state can redirect its deploys`,
        });
      }
      if (isValidCidr(config.network.vpcCidr) && isValidCidr(other.network.vpcCidr) && cidrsOverlap(config.network.vpcCidr, other.network.vpcCidr)) {
        add({
          path: "network.vpcCidr",
          value: config.network.vpcCidr,
          allowed: `a range that does not overlap environment "${other.name}" (${other.network.vpcCidr}), so the VPCs can be peered or joined by a transit gateway`,
        });
      }
    }
    seen.set(config.name, config);
  }
  for (const config of configs) {
    const problems = crossEnvironmentProblems(config, configs);
    if (problems.length > 0) byEnv.set(config.name, [...(byEnv.get(config.name) ?? []), ...problems]);
  }
  if (byEnv.size > 0) throw new ConfigError(byEnv);
  return configs;
}

function nameOf(input: unknown): string | undefined {
  const name = (input as { name?: unknown } | null)?.name;
  return typeof name === "string" && name !== "" ? name : undefined;
}

function semanticProblems(c: EnvironmentConfig): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const add = (path: string, value: unknown, allowed: string) => problems.push({ path, value, allowed });
  if (c.alerting !== undefined) problems.push(...validateAlertRouting(c.alerting, "alerting"));
  if (c.slo?.overrides !== undefined) problems.push(...serviceOverrideProblems(c.slo.overrides));

  // Availability zones.
  if (c.network.azCount > c.availabilityZones.length) {
    add("network.azCount", c.network.azCount, `at most the ${c.availabilityZones.length} zones listed in availabilityZones`);
  }
  c.availabilityZones.forEach((az, i) => {
    if (!az.startsWith(c.region)) add(`availabilityZones[${i}]`, az, `a zone of region ${c.region} (${c.region}a, ${c.region}b, …)`);
    if (c.availabilityZones.indexOf(az) !== i) add(`availabilityZones[${i}]`, az, "each zone listed once");
  });

  // CIDRs: valid, plan fits, no overlap with reserved networks.
  let vpcValid = true;
  try {
    parseCidr(c.network.vpcCidr);
  } catch (e) {
    vpcValid = false;
    add("network.vpcCidr", c.network.vpcCidr, `an IPv4 CIDR block from /16 to /28 (${(e as Error).message})`);
  }
  if (vpcValid) {
    const planProblems = subnetPlanProblems({ vpcCidr: c.network.vpcCidr, azCount: c.network.azCount, intraSubnets: c.network.intraSubnets });
    if (planProblems.length > 0) {
      const tiers = c.network.intraSubnets ? "public, private and intra" : "public and private";
      add("network.vpcCidr", c.network.vpcCidr, `a VPC large enough for ${tiers} subnets in ${c.network.azCount} AZs (the subnet plan: ${planProblems.map((p) => p.message).join("; ")})`);
    }
  }
  c.network.reservedCidrs.forEach((cidr, i) => {
    if (!isValidCidr(cidr)) add(`network.reservedCidrs[${i}]`, cidr, "an IPv4 CIDR block such as 10.10.0.0/16");
    else if (vpcValid && cidrsOverlap(cidr, c.network.vpcCidr)) {
      add("network.vpcCidr", c.network.vpcCidr, `a range that does not overlap reserved network ${cidr} (network.reservedCidrs[${i}])`);
    }
  });

  // Cluster (the schema allows only supported Kubernetes versions).
  c.cluster.publicAccessCidrs.forEach((cidr, i) => {
    const path = `cluster.publicAccessCidrs[${i}]`;
    if (!isValidCidr(cidr)) add(path, cidr, "an IPv4 CIDR block such as 203.0.113.0/24");
    else if (parseCidr(cidr).prefix === 0) add(path, cidr, "an allow-list of specific networks; the API endpoint is never open to the whole internet (0.0.0.0/0)");
    else if (parseCidr(cidr).prefix < MIN_PUBLIC_ACCESS_PREFIX) {
      add(path, cidr, `a network of /${MIN_PUBLIC_ACCESS_PREFIX} or smaller (a prefix of ${MIN_PUBLIC_ACCESS_PREFIX} to 32): a broader public allow-list is the internet in all but name`);
    }
  });
  c.cluster.privateAccessCidrs.forEach((cidr, i) => {
    const path = `cluster.privateAccessCidrs[${i}]`;
    if (!isValidCidr(cidr)) add(path, cidr, "an IPv4 CIDR block such as 10.40.0.0/16 (a peered VPC or a CI runner network)");
    else if (parseCidr(cidr).prefix === 0) add(path, cidr, "specific networks, not 0.0.0.0/0");
  });
  problems.push(...addonVersionProblems(c));
  const names = new Set<string>();
  c.cluster.nodeGroups.forEach((g, i) => {
    const path = `cluster.nodeGroups[${i}]`;
    if (names.has(g.name)) add(`${path}.name`, g.name, "a name no other node group of this cluster uses");
    names.add(g.name);
    if (g.minSize > g.maxSize) add(`${path}.minSize`, g.minSize, `at most maxSize (${g.maxSize})`);
    if (g.desiredSize < g.minSize || g.desiredSize > g.maxSize) add(`${path}.desiredSize`, g.desiredSize, `from minSize (${g.minSize}) to maxSize (${g.maxSize})`);
    const prefixProblem = nodeGroupNamePrefixProblem(c.cluster.name, g.name);
    if (prefixProblem) add(`${path}.name`, g.name, prefixProblem);
    for (const [key, value] of Object.entries(g.labels)) {
      if (!isQualifiedName(key)) add(`${path}.labels.${key}`, key, "a Kubernetes label key: [prefix/]name, name of at most 63 alphanumerics, '-', '_' or '.'");
      else if (!isLabelValue(value)) add(`${path}.labels.${key}`, value, "a Kubernetes label value: at most 63 alphanumerics, '-', '_' or '.', alphanumeric at both ends");
    }
    g.taints.forEach((t, j) => {
      if (!isQualifiedName(t.key)) add(`${path}.taints[${j}].key`, t.key, "a Kubernetes taint key: [prefix/]name");
      if (!isLabelValue(t.value)) add(`${path}.taints[${j}].value`, t.value, "a Kubernetes taint value: at most 63 alphanumerics, '-', '_' or '.'");
    });
  });

  // Roles: all of the environment's own account; CI, break-glass and key administration kept apart.
  const ownAccount = (path: string, arn: string) => {
    if (parseArn(arn)?.account !== c.account) add(path, arn, `a role of the environment's own account, ${c.account} (a copied environment keeps the old account's roles)`);
  };
  for (const field of ["deployRoleArn", "breakGlassRoleArn", "keyAdminRoleArn"] as const) ownAccount(`iam.${field}`, c.iam[field]);
  if (c.iam.breakGlassRoleArn === c.iam.deployRoleArn) {
    add("iam.breakGlassRoleArn", c.iam.breakGlassRoleArn, "a role other than iam.deployRoleArn: break-glass must not be what CI runs as every day");
  }
  if (c.iam.keyAdminRoleArn === c.iam.breakGlassRoleArn) {
    add("iam.keyAdminRoleArn", c.iam.keyAdminRoleArn, "a role other than iam.breakGlassRoleArn: only break-glass may delete keys or change their policies");
  }
  const granted = new Set<string>();
  c.cluster.access.forEach((entry, i) => {
    const path = `cluster.access[${i}].roleArn`;
    ownAccount(path, entry.roleArn);
    if (entry.roleArn === c.iam.deployRoleArn || entry.roleArn === c.iam.breakGlassRoleArn) {
      add(path, entry.roleArn, "a person's role: the deploy and break-glass roles already hold cluster-admin (EKS allows one access entry per role)");
    } else if (granted.has(entry.roleArn)) add(path, entry.roleArn, "each role once (EKS allows one access entry per role)");
    granted.add(entry.roleArn);
  });

  // Protection: an unprotected environment says why.
  const unprotected = !c.protection.preventDestroy || !c.cluster.deletionProtection;
  if (unprotected && !c.protection.unprotectedReason?.trim()) {
    add("protection.unprotectedReason", c.protection.unprotectedReason, "why this environment may be destroyed, when protection.preventDestroy or cluster.deletionProtection is off");
  }

  // Backend.
  if (c.backend.locking === "dynamodb" && !c.backend.dynamodbTable) {
    add("backend.dynamodbTable", undefined, 'a DynamoDB table name when backend.locking is "dynamodb"');
  }
  if (parseArn(c.backend.kmsKeyId)?.account !== c.account) {
    add("backend.kmsKeyId", c.backend.kmsKeyId, `a key of the environment's own account, ${c.account}, so no other environment can decrypt this state`);
  }
  if (parseArn(c.backend.kmsKeyId)?.region !== c.backend.region) {
    add("backend.kmsKeyId", c.backend.kmsKeyId, `a key in the state bucket's region, ${c.backend.region}`);
  }
  if (c.backend.keyPrefix.startsWith("/") || c.backend.keyPrefix.endsWith("/")) {
    add("backend.keyPrefix", c.backend.keyPrefix, "a prefix without a leading or trailing '/'");
  }

  // Tags.
  for (const tag of REQUIRED_TAGS) {
    const value = c.tags[tag];
    if (value === undefined || value.trim() === "") add(`tags.${tag}`, value, `a non-empty value; every environment tags ${REQUIRED_TAGS.join(", ")}`);
  }
  if (c.tags.Environment !== undefined && c.tags.Environment.trim() !== "" && c.tags.Environment !== c.name) {
    add("tags.Environment", c.tags.Environment, `the environment's name, "${c.name}"`);
  }
  for (const [key, value] of Object.entries(c.tags)) {
    if (key.length > 128 || value.length > 256 || key.toLowerCase().startsWith("aws:")) {
      add(`tags.${key}`, value, "keys of at most 128 characters not starting with 'aws:', values of at most 256");
    } else if (/[,=]/.test(key) || /[,=]/.test(value) || value.includes("{{")) {
      // The tags also reach what controllers in the cluster create (volumes, load balancers), as `key=value,…` strings.
      add(`tags.${key}`, value, "a key and value without ',', '=' or '{{': the cluster's controllers get the tags as key=value lists");
    }
  }
  problems.push(...platformProblems(c));
  problems.push(...costProblems(c));
  problems.push(...namespacesProblems(c));
  problems.push(...deliveryProblems(c));
  problems.push(...falcoOutboundProblems(c.security.falco, c.security.namespaces.teams.flatMap((t) => Object.keys(t.namespaces))));
  problems.push(...alertingTeamProblems(c));
  problems.push(...backupProblems(c));
  problems.push(...smsSecretProblems(c));
  return problems;
}

/**
 * A phone's secret given by ARN is one the environment's Terraform reads: in its own account and region (the provider
 * reads the secret version there, and a number kept in another account would page from outside it).
 */
function smsSecretProblems(c: EnvironmentConfig): ValidationProblem[] {
  const owners: Array<[string, { phoneNumbers: ReadonlyArray<{ secret: string }> } | undefined]> = [
    ["alerting.sms", c.alerting?.sms],
    ...Object.entries(c.alerting?.teams ?? {}).map(([team, t]): [string, { phoneNumbers: ReadonlyArray<{ secret: string }> } | undefined] => [`alerting.teams.${team}.sms`, t.sms]),
  ];
  const problems: ValidationProblem[] = [];
  for (const [at, sms] of owners) {
    sms?.phoneNumbers.forEach((p, i) => {
      const arn = parseArn(p.secret);
      if (arn !== undefined && arn.service === "secretsmanager" && (arn.account !== c.account || arn.region !== c.region)) {
        problems.push({ path: `${at}.phoneNumbers[${i}].secret`, value: p.secret, allowed: `a secret of the environment's own account and region (${c.account}, ${c.region}), or its name` });
      }
    });
  }
  return problems;
}

/**
 * `alerting.teams` names exactly the teams of `security.namespaces.teams`: a receiver set for a team the platform does not
 * know routes nothing, and a team without one would page the platform's on-call with its own alerts.
 */
function alertingTeamProblems(c: EnvironmentConfig): ValidationProblem[] {
  if (c.alerting === undefined) return [];
  const problems: ValidationProblem[] = [];
  const configured = c.security.namespaces.teams.map((t) => t.name);
  const declared = Object.keys(c.alerting.teams ?? {});
  for (const team of declared) {
    if (!configured.includes(team)) {
      problems.push({ path: `alerting.teams.${team}`, value: c.alerting.teams![team], allowed: `receivers of a team of security.namespaces.teams (${configured.join(", ") || "none configured"})` });
    }
  }
  for (const team of configured) {
    if (!declared.includes(team)) {
      problems.push({
        path: `alerting.teams.${team}`,
        value: undefined,
        allowed: `the team's receivers ({ slack: { channel }, email: { to } }; its PagerDuty key and Slack webhook are the receivers' secret keys team-${team}-pagerduty-routing-key and team-${team}-slack-webhook-url): without them its alerts would page the platform's on-call`,
      });
    }
  }
  return problems;
}

/**
 * Pinned EKS add-on versions: each well-formed and the one reviewed for the cluster's Kubernetes minor; and
 * an environment that protects its resources (`protection.preventDestroy`) pins every add-on its cluster
 * runs, so no add-on changes without a reviewed diff (EKS's default version for a minor moves over time).
 */
function addonVersionProblems(c: EnvironmentConfig): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const minor = c.cluster.kubernetesVersion;
  const pinned = c.cluster.addonVersions as Partial<Record<string, string>>;
  for (const key of EKS_MANAGED_ADDON_KEYS) {
    const version = pinned[key];
    if (version !== undefined) {
      const problem = addonVersionProblem(key, version, minor);
      if (problem) problems.push({ path: `cluster.addonVersions.${key}`, value: version, allowed: problem });
      continue;
    }
    if (c.protection.preventDestroy && runsManagedAddon(key, { efs: c.storage.efs })) {
      const reviewed = `, ${REVIEWED_ADDON_VERSIONS[minor][key]} for Kubernetes ${minor}`;
      problems.push({
        path: `cluster.addonVersions.${key}`,
        value: undefined,
        allowed: `a pinned version${reviewed}: an environment with protection.preventDestroy pins every managed add-on, so an upgrade is a reviewed diff`,
      });
    }
  }
  return problems;
}

/** Turns zod's issues into problems that name the field path, the value given and what is allowed. */
function zodProblems(error: z.ZodError, input: unknown): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  for (const issue of error.issues) {
    const base = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const parent = valueAt(input, issue.path);
        const known = knownKeys(issue.path);
        const allowed = known ? `${suggest(key, known)}; known fields: ${known.join(", ")}` : "";
        problems.push(smsSchemaProblem({ path: joinPath([...base, key]), value: (parent as Record<string, unknown>)?.[key], allowed: `no field "${key}" here${allowed}` }));
      }
      continue;
    }
    const value = valueAt(input, issue.path);
    let allowed = issue.message;
    if (issue.code === "invalid_value") {
      // A schema that says why its values are the allowed ones keeps the reason after the list.
      const reason = issue.message.startsWith("Invalid option") ? "" : ` (${issue.message})`;
      allowed = `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}${reason}`;
    }
    else if (issue.code === "invalid_type") allowed = value === undefined ? `a value (required), of type ${issue.expected}` : `a value of type ${issue.expected}`;
    else if (issue.code === "too_small") allowed = `${issue.inclusive === false ? "more than" : "at least"} ${issue.minimum}${issue.origin === "array" ? " item(s)" : ""}${issue.message.startsWith("Too small") ? "" : ` (${issue.message})`}`;
    else if (issue.code === "too_big") allowed = `at most ${issue.maximum}${issue.origin === "array" ? " item(s)" : ""}`;
    problems.push(smsSchemaProblem({ path: joinPath(base), value, allowed }));
  }
  return problems;
}

function joinPath(parts: readonly string[]): string {
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), "") || "(root)";
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const key of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

function knownKeys(path: readonly PropertyKey[]): string[] | undefined {
  type Walkable = { shape?: Record<string, z.ZodType>; element?: z.ZodType; valueType?: z.ZodType; unwrap?: () => z.ZodType };
  // Optional fields wrap their schema; unwrap them to reach the object's keys.
  const unwrapped = (t: z.ZodType): Walkable => {
    let w = t as unknown as Walkable;
    while (w.unwrap && !w.shape && !w.element) w = w.unwrap() as unknown as Walkable;
    return w;
  };
  let schema: z.ZodType = EnvironmentSchema;
  for (const key of path) {
    const s = unwrapped(schema);
    if (typeof key === "number" && s.element) schema = s.element;
    else if (s.shape && typeof key === "string" && s.shape[key]) schema = s.shape[key] as z.ZodType;
    // A record (e.g. namespaces by name): every key has the same value schema.
    else if (s.valueType && typeof key === "string") schema = s.valueType;
    else return undefined;
  }
  const shape = unwrapped(schema).shape;
  return shape ? Object.keys(shape) : undefined;
}
