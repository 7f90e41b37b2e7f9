import { celEnv, isCelError, parse, plan } from "@bufbuild/cel";
import type { AdmissionPolicyDefinition } from "../../../../../lib/security/admission/policies";

/**
 * Evaluates a policy definition the way the API server does, with Buf's CEL evaluator (`@bufbuild/cel`, tested
 * against the CEL conformance suite): match the resource, then the match conditions, then the variables in order,
 * then every validation; a failed validation's message comes from its `messageExpression`. An expression that errors
 * throws (the policies use `failurePolicy: Fail`, so an error would refuse the request: a test must see it).
 */

/** The resource of each kind the samples use, as the policies' `resourceRules` name them. */
const RESOURCES: Readonly<Record<string, readonly [group: string, resource: string]>> = {
  Pod: ["", "pods"],
  ReplicationController: ["", "replicationcontrollers"],
  Deployment: ["apps", "deployments"],
  StatefulSet: ["apps", "statefulsets"],
  DaemonSet: ["apps", "daemonsets"],
  ReplicaSet: ["apps", "replicasets"],
  Job: ["batch", "jobs"],
  CronJob: ["batch", "cronjobs"],
  Service: ["", "services"],
  ServiceMonitor: ["monitoring.coreos.com", "servicemonitors"],
  PodMonitor: ["monitoring.coreos.com", "podmonitors"],
};

export interface AdmissionRequest {
  readonly object: Record<string, unknown>;
  /** @default "CREATE" */
  readonly operation?: "CREATE" | "UPDATE";
  /** @default "apps" */
  readonly namespace?: string;
  /** For UPDATE. */
  readonly oldObject?: Record<string, unknown>;
  /** e.g. `ephemeralcontainers` (`kubectl debug`). */
  readonly subResource?: string;
  /**
   * Labels of the request's namespace besides its name label, as the API server hands them to the policy in
   * `namespaceObject`.
   * @default {}
   */
  readonly namespaceLabels?: Readonly<Record<string, string>>;
}

export interface AdmissionResult {
  /** The policy applies to this request (resource matched and every match condition held). */
  readonly matched: boolean;
  /** No validation failed. */
  readonly allowed: boolean;
  readonly messages: readonly string[];
}

const env = celEnv();
/** Parsed and planned once per expression: the suites evaluate the same few expressions thousands of times. */
const planned = new Map<string, (ctx: never) => unknown>();

function evaluate(expression: string, activation: Record<string, unknown>): unknown {
  let program = planned.get(expression);
  if (program === undefined) {
    program = plan(env, parse(expression)) as (ctx: never) => unknown;
    planned.set(expression, program);
  }
  const result = program(activation as never);
  if (isCelError(result)) throw new Error(`CEL error in ${expression}: ${result.message}`);
  return result;
}

export function resourceMatches(def: AdmissionPolicyDefinition, req: AdmissionRequest): boolean {
  const kind = String(req.object.kind);
  const [group, resource] = RESOURCES[kind] ?? [];
  if (resource === undefined) throw new Error(`no resource known for kind ${kind}`);
  const name = req.subResource ? `${resource}/${req.subResource}` : resource;
  const operation = req.operation ?? "CREATE";
  return def.resourceRules.some((r) => r.apiGroups.includes(group!) && r.resources.includes(name) && r.operations.includes(operation));
}

/** Runs one policy against one request. */
export function evaluatePolicy(def: AdmissionPolicyDefinition, req: AdmissionRequest): AdmissionResult {
  if (!resourceMatches(def, req)) return { matched: false, allowed: true, messages: [] };
  const operation = req.operation ?? "CREATE";
  const request = { operation, namespace: req.namespace ?? "apps", subResource: req.subResource ?? "" };
  const namespaceObject = { apiVersion: "v1", kind: "Namespace", metadata: { name: request.namespace, labels: { "kubernetes.io/metadata.name": request.namespace, ...(req.namespaceLabels ?? {}) } } };
  const base = { object: req.object, oldObject: req.oldObject ?? null, request, namespaceObject };
  for (const c of def.matchConditions) {
    if (evaluate(c.expression, base) !== true) return { matched: false, allowed: true, messages: [] };
  }
  const variables: Record<string, unknown> = {};
  for (const v of def.variables) variables[v.name] = evaluate(v.expression, { ...base, variables });
  const messages: string[] = [];
  for (const v of def.validations) {
    const ok = evaluate(v.expression, { ...base, variables });
    if (typeof ok !== "boolean") throw new Error(`validation ${v.expression} returned ${String(ok)}, not a bool`);
    if (!ok) messages.push(v.messageExpression ? String(evaluate(v.messageExpression, { ...base, variables })) : v.message);
  }
  return { matched: true, allowed: messages.length === 0, messages };
}

/** Runs every policy; the messages of those that refuse. */
export function refusals(defs: readonly AdmissionPolicyDefinition[], req: AdmissionRequest): Record<string, readonly string[]> {
  const out: Record<string, readonly string[]> = {};
  for (const def of defs) {
    const r = evaluatePolicy(def, req);
    if (!r.allowed) out[def.key] = r.messages;
  }
  return out;
}

/** Every CEL expression of a definition, with where it is, so each can be proved to parse. */
export function expressionsOf(def: AdmissionPolicyDefinition): Array<[where: string, expression: string]> {
  return [
    ...def.matchConditions.map((c): [string, string] => [`matchConditions.${c.name}`, c.expression]),
    ...def.variables.map((v): [string, string] => [`variables.${v.name}`, v.expression]),
    ...def.validations.flatMap((v, i): Array<[string, string]> => [
      [`validations[${i}].expression`, v.expression],
      ...(v.messageExpression ? [[`validations[${i}].messageExpression`, v.messageExpression] as [string, string]] : []),
    ]),
  ];
}

/** Parses with the evaluator's parser; throws with the position on a syntax error. */
export function parseCel(expression: string): void {
  parse(expression);
}

/** Evaluates one expression with the given variables (for tests of rendered CEL fragments). */
export function evaluateCel(expression: string, activation: Record<string, unknown> = {}): unknown {
  return evaluate(expression, activation);
}
