/**
 * The environment's compiled SLO rules as Amazon Managed Prometheus rule group namespaces: one namespace per service
 * (its SLOs' recording and alerting groups and its service-down P0), one for the P0 escalation, one for any other
 * service-level group; each namespace's `data` is a plain Prometheus rules file, checked against AMP's limits.
 * @see https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-rules-upload.html
 */
import type { CompileResult } from "../../slo/compile";
import { emitRulesYaml, toRuleGroups } from "../../slo/emit";
import type { RuleGroup } from "../../slo/rules";
import { serviceDownGroupName } from "../../slo/service-down";
import { P0_ESCALATION_GROUP } from "../alertmanager/escalation";
import type { ValidationProblem } from "../../problems";
import { AMP_MAX_RULE_NAMESPACE_BYTES, AMP_MAX_RULES_PER_WORKSPACE, AMP_RULE_NAMESPACE_NAME, AMP_RULE_NAMESPACE_NAME_RULE } from "./limits";

/** One `aws_prometheus_rule_group_namespace`. */
export interface AmpRuleNamespace {
  /** `slo-<service>`, `p0-escalation` or `platform`. */
  readonly name: string;
  /** The rules file (`groups:`) AMP evaluates. */
  readonly data: string;
  /** How many rules it holds. */
  readonly ruleCount: number;
}

/** The namespace of a service's SLO rules. */
export function sloRuleNamespaceName(service: string): string {
  return `slo-${service}`;
}

/** The namespace of the P0 escalation rule. */
export const ESCALATION_RULE_NAMESPACE = "p0-escalation";
/** The namespace of service-level groups that belong to no service. */
export const PLATFORM_RULE_NAMESPACE = "platform";

/** The namespaces of a compile result, in service order (as the SLOs come), then the escalation's and the platform's. */
export function ampRuleNamespaces(result: CompileResult): AmpRuleNamespace[] {
  const services = [...new Set(result.slos.map((s) => s.slo.service))];
  const byName = new Map<string, { slos: CompileResult["slos"][number][]; services: RuleGroup[] }>();
  const of = (name: string) => byName.get(name) ?? byName.set(name, { slos: [], services: [] }).get(name)!;
  for (const s of result.slos) of(sloRuleNamespaceName(s.slo.service)).slos.push(s);
  for (const g of result.services) {
    const service = services.find((svc) => serviceDownGroupName(svc) === g.name);
    of(service !== undefined ? sloRuleNamespaceName(service) : g.name === P0_ESCALATION_GROUP ? ESCALATION_RULE_NAMESPACE : PLATFORM_RULE_NAMESPACE).services.push(g);
  }
  return [...byName].map(([name, content]) => ({
    name,
    data: emitRulesYaml(content),
    ruleCount: toRuleGroups(content).reduce((n, g) => n + g.rules.length, 0),
  }));
}

/** What AMP would refuse: a namespace name it does not accept, a namespace past its size, more rules than a workspace holds. */
export function ampRuleNamespaceProblems(namespaces: readonly AmpRuleNamespace[], at = "ruleNamespaces"): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  for (const ns of namespaces) {
    if (!AMP_RULE_NAMESPACE_NAME.test(ns.name)) problems.push({ path: `${at}["${ns.name}"].name`, value: ns.name, allowed: `${AMP_RULE_NAMESPACE_NAME_RULE} (AMP's rule group namespace names; rename the service)` });
    const bytes = Buffer.byteLength(ns.data, "utf8");
    if (bytes > AMP_MAX_RULE_NAMESPACE_BYTES) {
      problems.push({ path: `${at}["${ns.name}"].data`, value: `${bytes} bytes`, allowed: `at most ${AMP_MAX_RULE_NAMESPACE_BYTES} bytes (AMP's rule group namespace size): split the service's SLOs` });
    }
  }
  const total = namespaces.reduce((n, ns) => n + ns.ruleCount, 0);
  if (total > AMP_MAX_RULES_PER_WORKSPACE) {
    problems.push({ path: at, value: `${total} rules`, allowed: `at most ${AMP_MAX_RULES_PER_WORKSPACE} rules per workspace (AMP's default quota; raise it with AWS first)` });
  }
  return problems;
}
