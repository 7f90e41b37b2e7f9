/**
 * The macros and lists of Falco's default ruleset that the platform's rules use, and nothing else: a condition of
 * ours may refer to these without defining them, and to no other name it does not define. Each was read in
 * falcosecurity/rules, `rules/falco_rules.yaml` at tag `falco-rules-5.1.0` (the version the add-on pins); a rules
 * upgrade re-reads them.
 */
export const FALCO_RULES_VERSION = "5.1.0";

/** Default macros used, with their meaning in 5.1.0. */
export const DEFAULT_RULESET_MACROS: Readonly<Record<string, string>> = {
  /** `(evt.type in (execve, execveat))` */
  spawned_process: "a process started",
  /** `(container.id != host)` */
  container: "the event is inside a container",
  /** `(evt.type in (open,openat,openat2) and evt.is_open_write=true and fd.typechar='f' and fd.num>=0)` */
  open_write: "a file opened for writing",
  /** `(evt.type in (open,openat,openat2) and evt.is_open_read=true and fd.typechar='f' and fd.num>=0)` */
  open_read: "a file opened for reading",
  /** `(proc.name in (shell_binaries))` */
  shell_procs: "the process is a shell",
  /**
   * `(not proc.pname exists or proc.pname in (runc:[0:PARENT], runc:[1:CHILD], runc, docker-runc, exe,
   * docker-runc-cur, containerd-shim, systemd, crio, conmon))`: the parent is the container runtime (a container's
   * first process, or one `kubectl exec` starts).
   */
  container_entrypoint: "the process was started by the container runtime",
  /** A connect (or connectionless send) to an IPv4/IPv6 address outside loopback and RFC 1918. */
  outbound: "an outbound connection to a non-private address",
  /** `(evt.num=0)` */
  never_true: "matches nothing",
};

/** Default lists used. */
export const DEFAULT_RULESET_LISTS: Readonly<Record<string, string>> = {
  /** `[ash, bash, csh, ksh, sh, tcsh, zsh, dash]` */
  shell_binaries: "shell executables",
};

/** True when `name` is a default macro the platform relies on. */
export function isDefaultMacro(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(DEFAULT_RULESET_MACROS, name);
}

/** True when `name` is a default list the platform relies on. */
export function isDefaultList(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(DEFAULT_RULESET_LISTS, name);
}
