import type { EnvironmentConfig } from "../lib/config/environment-schema";
import type { ValidationProblem } from "../lib/problems";
import { ConfigError } from "../lib/config/validate-environment";
import { ADDONS, addonNamespaces, type AddonDescriptor } from "../constructs/addons/registry";
import { addonDependencyProblems } from "./addon-layer";

/**
 * The rules of an environment's configuration that come from the add-on registry, checked before anything is built:
 * every namespace an enabled add-on runs in has its baseline under `security.namespaces.platform` and no other name
 * is there; a Pod Security exception an add-on's own section owns is not set a second time; each enabled add-on's
 * section passes its construct's own validator; and every add-on an enabled one requires is enabled.
 */
export function addonConfigProblems(config: EnvironmentConfig, addons: readonly AddonDescriptor<any>[] = ADDONS): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const base = "security.namespaces.platform";
  const platform = config.security.namespaces.platform;
  const all = addonNamespaces(addons);
  const known = [...new Set(all.map(({ namespace }) => namespace.name))];
  for (const { addon, namespace } of all) {
    if (!addon.enabled(config)) continue;
    if (platform[namespace.name] === undefined) {
      problems.push({ path: `${base}.${namespace.name}`, value: undefined, allowed: `the baseline of namespace "${namespace.name}", where ${addon.name} runs (every one of ${known.join(", ")} is settled in configuration)` });
    }
    const owned = namespace.podSecurity;
    if (owned && platform[namespace.name]?.podSecurity !== undefined) {
      problems.push({ path: `${base}.${namespace.name}.podSecurity`, value: platform[namespace.name]!.podSecurity, allowed: `nothing: the namespace takes its level and reason from ${owned.configPath} (one home)` });
    }
  }
  for (const name of Object.keys(platform)) {
    if (!known.includes(name)) {
      problems.push({ path: `${base}.${name}`, value: name, allowed: `one of the platform's namespaces, ${known.join(", ")}; a team's namespaces go under its entry in security.namespaces.teams` });
    }
  }
  for (const addon of addons.filter((a) => a.enabled(config) && a.validate)) problems.push(...addon.validate!(config));
  problems.push(...addonDependencyProblems(config, addons));
  return problems;
}

/**
 * {@link addonConfigProblems} of every environment, as one error naming each environment, field, value and what is
 * allowed.
 * @throws ConfigError
 */
export function validateAddonConfigs(configs: readonly EnvironmentConfig[]): void {
  const byEnv = new Map<string, ValidationProblem[]>();
  for (const config of configs) {
    const problems = addonConfigProblems(config);
    if (problems.length > 0) byEnv.set(config.name, problems);
  }
  if (byEnv.size > 0) throw new ConfigError(byEnv);
}
