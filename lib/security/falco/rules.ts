/**
 * The platform's own Falco rules, generated from typed input (the environment's `security.falco.rules`): an
 * interactive shell in a container, a write below /etc, a read of a sensitive file, and an outbound connection from
 * a namespace to a destination that namespace was not allowed. Names carry the `sre_platform` prefix so none
 * replaces a list, macro or rule of Falco's default ruleset.
 */
import type { ValidationProblem } from "../../problems";
import { isDnsLabel } from "../../kubernetes/names";
import { isValidCidr } from "../../net/cidr";
import type { FalcoPriority } from "./priorities";
import type { FalcoList, FalcoMacro, FalcoRule, FalcoRuleItem } from "./rule-file";

/** A destination a namespace may connect to outside the cluster's private ranges. */
export interface OutboundDestination {
  /** IPv4 or IPv6 network, e.g. `52.94.0.0/16`. */
  readonly cidr: string;
  /** Destination ports; absent, every port. */
  readonly ports?: readonly number[];
}

/** What the generated rules are made of. */
export interface FalcoRulesInput {
  /** Absolute paths whose read inside a container is an alert, e.g. `/etc/shadow`. */
  readonly sensitiveFiles: readonly string[];
  /**
   * Namespaces watched for outbound connections, each with the destinations it may reach. Falco's `outbound` macro
   * already leaves out loopback and RFC 1918 (cluster and VPC) addresses; a namespace with no destination may reach
   * no public address at all. Namespaces not named are not watched.
   */
  readonly outbound: Readonly<Record<string, readonly OutboundDestination[]>>;
}

/** Each rule's priority, chosen for the tier it lands on (see `FALCO_PRIORITY_TIERS`). */
export const PLATFORM_RULE_PRIORITIES = {
  /** P2 (chat): `kubectl exec` during debugging is legitimate, an attacker's shell is not; a human tells them apart. */
  shellInContainer: "WARNING",
  /** P1: containers should never change their configuration at run time; someone looks today. */
  writeBelowEtc: "ERROR",
  /** P0: reading credentials files inside a container is what an intruder does first. */
  sensitiveFileRead: "CRITICAL",
  /** P1: exfiltration or a command-and-control channel until shown otherwise; NetworkPolicies should have stopped it. */
  unexpectedOutbound: "ERROR",
} as const satisfies Record<string, FalcoPriority>;

/** The tag every platform rule carries, so dashboards and silences can select them. */
export const PLATFORM_RULE_TAG = "sre_platform";

export const SENSITIVE_FILES_LIST = "sre_platform_sensitive_files";

/** Rule names, one home for tests and runbooks. */
export const PLATFORM_RULE_NAMES = {
  shellInContainer: "Platform: interactive shell in a container",
  writeBelowEtc: "Platform: write below /etc in a container",
  sensitiveFileRead: "Platform: read of a sensitive file in a container",
  unexpectedOutbound: (namespace: string) => `Platform: unexpected outbound connection from namespace ${namespace}`,
} as const;

/** The list and macro names of one namespace's allowed destinations (a namespace name with `_` for `-`). */
export function outboundMacroName(namespace: string): string {
  return `sre_platform_allowed_outbound_${namespace.replace(/-/g, "_")}`;
}

/** A literal as Falco reads it in a list or comparison: double-quoted, `"` and `\` escaped. */
export function quoted(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

const CONTAINER_FIELDS = "container_id=%container.id image=%container.image.repository k8s_ns=%k8s.ns.name k8s_pod=%k8s.pod.name";
const PROCESS_FIELDS = "user=%user.name user_uid=%user.uid process=%proc.name command=%proc.cmdline parent=%proc.pname";

function allowedDestinations(destinations: readonly OutboundDestination[]): string {
  if (destinations.length === 0) return "never_true";
  return destinations
    .map((d) => {
      const net = `fd.snet in (${quoted(d.cidr)})`;
      return d.ports && d.ports.length > 0 ? `(${net} and fd.sport in (${d.ports.join(", ")}))` : `(${net})`;
    })
    .join(" or ");
}

/** The rules file's items, in the order Falco must load them (lists and macros before the rules using them). */
export function platformFalcoRules(input: FalcoRulesInput): FalcoRuleItem[] {
  const p = PLATFORM_RULE_PRIORITIES;
  const tags = (...more: string[]) => [PLATFORM_RULE_TAG, "container", ...more];
  const items: FalcoRuleItem[] = [];
  const rules: FalcoRule[] = [
    {
      rule: PLATFORM_RULE_NAMES.shellInContainer,
      desc: "A shell started with a terminal attached inside a container (kubectl exec -it or an attacker's interactive session).",
      condition: "spawned_process and container and shell_procs and proc.tty != 0",
      output: `Interactive shell in a container | ${PROCESS_FIELDS} terminal=%proc.tty ${CONTAINER_FIELDS}`,
      priority: p.shellInContainer,
      tags: tags("shell", "mitre_execution", "T1059"),
    },
    {
      rule: PLATFORM_RULE_NAMES.writeBelowEtc,
      desc: "A file below /etc was opened for writing inside a container: configuration changed at run time.",
      condition: 'open_write and container and fd.name startswith "/etc/"',
      output: `File below /etc opened for writing in a container | file=%fd.name ${PROCESS_FIELDS} ${CONTAINER_FIELDS}`,
      priority: p.writeBelowEtc,
      tags: tags("filesystem", "mitre_persistence", "T1543"),
    },
  ];
  if (input.sensitiveFiles.length > 0) {
    items.push({ list: SENSITIVE_FILES_LIST, items: input.sensitiveFiles.map(quoted) } satisfies FalcoList);
    rules.push({
      rule: PLATFORM_RULE_NAMES.sensitiveFileRead,
      desc: "A file the environment lists as sensitive (credentials, keys) was opened for reading inside a container.",
      condition: `open_read and container and fd.name in (${SENSITIVE_FILES_LIST})`,
      output: `Sensitive file opened for reading in a container | file=%fd.name ${PROCESS_FIELDS} ${CONTAINER_FIELDS}`,
      priority: p.sensitiveFileRead,
      tags: tags("filesystem", "mitre_credential_access", "T1555"),
    });
  }
  for (const [namespace, destinations] of Object.entries(input.outbound).sort(([a], [b]) => a.localeCompare(b))) {
    const macro = outboundMacroName(namespace);
    items.push({ macro, condition: allowedDestinations(destinations) } satisfies FalcoMacro);
    rules.push({
      rule: PLATFORM_RULE_NAMES.unexpectedOutbound(namespace),
      desc: `A container in namespace ${namespace} connected to a public address its namespace is not allowed to reach.`,
      condition: `outbound and container and k8s.ns.name = ${quoted(namespace)} and not (${macro})`,
      output: `Unexpected outbound connection | connection=%fd.name destination=%fd.sip port=%fd.sport ${PROCESS_FIELDS} ${CONTAINER_FIELDS}`,
      priority: p.unexpectedOutbound,
      tags: tags("network", "mitre_exfiltration", "TA0010"),
    });
  }
  return [...items, ...rules];
}

/** An absolute file path a rule may name: no quotes, spaces or wildcards (the path is a literal in a condition). */
export const SENSITIVE_FILE_PATH = /^\/[A-Za-z0-9._@+\/-]+$/;
export const SENSITIVE_FILE_PATH_RULE = "an absolute path of letters, digits and . _ @ + / - (no quotes, spaces or wildcards)";

/** Checks {@link FalcoRulesInput}; paths are relative to the input (`sensitiveFiles[0]`, `outbound.payments[0].cidr`). */
export function validateFalcoRulesInput(input: FalcoRulesInput): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const add = (path: string, value: unknown, allowed: string) => problems.push({ path, value, allowed });
  if (!Array.isArray(input.sensitiveFiles)) add("sensitiveFiles", input.sensitiveFiles, "an array of absolute paths");
  else input.sensitiveFiles.forEach((f, i) => {
    if (typeof f !== "string" || !SENSITIVE_FILE_PATH.test(f)) add(`sensitiveFiles[${i}]`, f, SENSITIVE_FILE_PATH_RULE);
  });
  for (const [namespace, destinations] of Object.entries(input.outbound ?? {})) {
    if (!isDnsLabel(namespace)) add(`outbound["${namespace}"]`, namespace, "a Kubernetes namespace name");
    destinations.forEach((d, i) => {
      if (!isValidCidr(d.cidr)) add(`outbound.${namespace}[${i}].cidr`, d.cidr, "an IPv4 network in CIDR notation such as 52.94.0.0/16");
      (d.ports ?? []).forEach((port, j) => {
        if (!Number.isInteger(port) || port < 1 || port > 65535) add(`outbound.${namespace}[${i}].ports[${j}]`, port, "a port number from 1 to 65535");
      });
    });
  }
  return problems;
}
