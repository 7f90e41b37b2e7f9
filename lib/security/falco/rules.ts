/**
 * The platform's own Falco rules, generated from typed input (the environment's `security.falco.rules`): a shell
 * started in a container (with or without a terminal), a write below /etc, a read of a sensitive file (also through
 * `/proc/<pid>/root`, `/proc/self/cwd` and the like) or a link made to one, and an outbound connection from a
 * namespace to a destination that namespace was not allowed. Names carry the `sre_platform` prefix so none replaces a
 * list, macro or rule of Falco's default ruleset.
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
  /** P0: a link to a credentials file is how a read of it hides under another name. */
  sensitiveFileLink: "CRITICAL",
  /** P1: exfiltration or a command-and-control channel until shown otherwise; NetworkPolicies should have stopped it. */
  unexpectedOutbound: "ERROR",
} as const satisfies Record<string, FalcoPriority>;

/** The tag every platform rule carries, so dashboards and silences can select them. */
export const PLATFORM_RULE_TAG = "sre_platform";

export const SENSITIVE_FILES_LIST = "sre_platform_sensitive_files";
/** The macro true when `fd.name` is a sensitive file, by its own path or through a `/proc` link to it. */
export const SENSITIVE_FILE_MACRO = "sre_platform_sensitive_file";
/** The macro true when a symlink's target or a hard link's source names a sensitive file. */
export const SENSITIVE_LINK_MACRO = "sre_platform_link_to_sensitive_file";
/** The macro true for the shells a container starts by design: its entrypoint, and the shells its entrypoint shell runs. */
export const CONTAINER_START_SHELL_MACRO = "sre_platform_container_start_shell";

/** Rule names, one home for tests and runbooks. */
export const PLATFORM_RULE_NAMES = {
  shellInContainer: "Platform: shell in a container",
  writeBelowEtc: "Platform: write below /etc in a container",
  sensitiveFileRead: "Platform: read of a sensitive file in a container",
  sensitiveFileLink: "Platform: link to a sensitive file in a container",
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

/**
 * Where a sensitive file is reached, as `fd.name` shows it. Falco's `fd.name` is the absolute path with `.`, `..` and
 * repeated slashes folded (relative paths and `openat` directory descriptors resolved), so `/etc/./shadow`,
 * `//etc//shadow`, a path that climbs out of `/etc` and back in, and a relative path climbing up from the working
 * directory all read `/etc/shadow`. What it does not resolve are the kernel's magic links under `/proc`:
 * `/proc/self/root/etc/shadow`, `/proc/1/root/etc/shadow`, `/proc/thread-self/root/…`, `/proc/<pid>/task/<tid>/root/…`,
 * and `/proc/self/cwd` followed by a `..` segment and `etc/shadow` (folded to `/proc/self/etc/shadow`) name the same
 * file; a glob `/proc/*<path>` covers them all (Falco's glob is fnmatch without FNM_PATHNAME: `*` spans `/`). A process
 * whose working directory is the file's directory or an ancestor reaches it as `/proc/self/cwd/<rest of the path>`: one
 * glob per such suffix.
 */
function sensitiveFileCondition(files: readonly string[]): string {
  const globs = files.flatMap((f) => {
    const parts = f.split("/").filter((x) => x !== "");
    const suffixes = parts.slice(1).map((_, i) => parts.slice(i + 1).join("/"));
    return [`/proc/*${f}`, ...suffixes.map((s) => `/proc/*/cwd/${s}`)];
  });
  return `fd.name in (${SENSITIVE_FILES_LIST}) or ${[...new Set(globs)].map((g) => `fd.name glob ${quoted(g)}`).join(" or ")}`;
}

/**
 * A symlink or hard link made to a sensitive file: reading the link later shows only the link's own name in
 * `fd.name`. A link's target is recorded as given (not folded), so it matches by its end: `…/etc/shadow`, or
 * `etc/shadow` relative to the link.
 */
function sensitiveLinkCondition(files: readonly string[]): string {
  const ends = files.map((f) => quoted(f.replace(/^\/+/, "")));
  return (
    `(evt.type in ("symlink", "symlinkat") and (${ends.map((e) => `evt.arg.target endswith ${e}`).join(" or ")}))` +
    ` or (evt.type in ("link", "linkat") and (${ends.map((e) => `evt.arg.oldpath endswith ${e}`).join(" or ")}))`
  );
}

/** The rules file's items, in the order Falco must load them (lists and macros before the rules using them). */
export function platformFalcoRules(input: FalcoRulesInput): FalcoRuleItem[] {
  const p = PLATFORM_RULE_PRIORITIES;
  const tags = (...more: string[]) => [PLATFORM_RULE_TAG, "container", ...more];
  const items: FalcoRuleItem[] = [
    {
      macro: CONTAINER_START_SHELL_MACRO,
      // The container's first process when the runtime started it (a shell entrypoint; a shell that is PID 1 of a new
      // PID namespace made inside the container has another parent), and a shell the entrypoint shell itself runs (a
      // start script). A shell any other process starts, kubectl exec's among them, is not one of these.
      condition: "(proc.vpid = 1 and container_entrypoint) or (proc.pvpid = 1 and proc.pname in (shell_binaries))",
    } satisfies FalcoMacro,
  ];
  const rules: FalcoRule[] = [
    {
      rule: PLATFORM_RULE_NAMES.shellInContainer,
      desc:
        "A shell started inside a container by anything but the container's own start (kubectl exec, with or without -t; a reverse shell an exploited process runs, which has no terminal).",
      condition: `spawned_process and container and shell_procs and not (${CONTAINER_START_SHELL_MACRO})`,
      output: `Shell in a container | ${PROCESS_FIELDS} terminal=%proc.tty ${CONTAINER_FIELDS}`,
      priority: p.shellInContainer,
      tags: tags("shell", "mitre_execution", "T1059"),
    },
    {
      rule: PLATFORM_RULE_NAMES.writeBelowEtc,
      desc: "A file below /etc was opened for writing inside a container: configuration changed at run time.",
      // Also through /proc's magic links to the container's root or working directory, which fd.name does not resolve.
      condition: 'open_write and container and (fd.name startswith "/etc/" or fd.name glob "/proc/*/root/etc/*" or fd.name glob "/proc/*/cwd/etc/*")',
      output: `File below /etc opened for writing in a container | file=%fd.name ${PROCESS_FIELDS} ${CONTAINER_FIELDS}`,
      priority: p.writeBelowEtc,
      tags: tags("filesystem", "mitre_persistence", "T1543"),
    },
  ];
  if (input.sensitiveFiles.length > 0) {
    items.push({ list: SENSITIVE_FILES_LIST, items: input.sensitiveFiles.map(quoted) } satisfies FalcoList);
    items.push({ macro: SENSITIVE_FILE_MACRO, condition: sensitiveFileCondition(input.sensitiveFiles) } satisfies FalcoMacro);
    items.push({ macro: SENSITIVE_LINK_MACRO, condition: sensitiveLinkCondition(input.sensitiveFiles) } satisfies FalcoMacro);
    rules.push({
      rule: PLATFORM_RULE_NAMES.sensitiveFileRead,
      desc: "A file the environment lists as sensitive (credentials, keys) was opened for reading inside a container, by its path or through a /proc link to it.",
      condition: `open_read and container and (${SENSITIVE_FILE_MACRO})`,
      output: `Sensitive file opened for reading in a container | file=%fd.name raw=%fd.nameraw ${PROCESS_FIELDS} ${CONTAINER_FIELDS}`,
      priority: p.sensitiveFileRead,
      tags: tags("filesystem", "mitre_credential_access", "T1555"),
    });
    rules.push({
      rule: PLATFORM_RULE_NAMES.sensitiveFileLink,
      desc: "A symlink or hard link to a file the environment lists as sensitive was made inside a container: a read through it would show only the link's name.",
      condition: `container and (${SENSITIVE_LINK_MACRO})`,
      output: `Link to a sensitive file made in a container | syscall=%evt.type target=%evt.arg.target source=%evt.arg.oldpath ${PROCESS_FIELDS} ${CONTAINER_FIELDS}`,
      priority: p.sensitiveFileLink,
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
