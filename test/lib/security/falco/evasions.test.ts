/**
 * The platform's Falco rules against the ways an intruder would slip past them, evaluated with a small evaluator of
 * Falco's condition language (`support/evaluate.ts`) over events shaped as libsinsp records them: a shell without a
 * terminal, a sensitive file read through /proc's magic links or an unfolded path, a link made to hide a read.
 */
import type { FalcoRule } from "../../../../lib/security/falco/rule-file";
import { PLATFORM_RULE_NAMES, platformFalcoRules } from "../../../../lib/security/falco/rules";
import { falcoFdName, FalcoEvaluator, type FalcoEvent } from "./support/evaluate";

const items = platformFalcoRules({ sensitiveFiles: ["/etc/shadow", "/root/.aws/credentials"], outbound: {} });
const evaluator = new FalcoEvaluator(items);
const rule = (name: string) => (items.find((i): i is FalcoRule => "rule" in i && i.rule === name) ?? (() => { throw new Error(`no rule ${name}`); })()).condition;
const fires = (name: string, event: FalcoEvent) => evaluator.matches(rule(name), event);

const IN_CONTAINER = { "container.id": "3f2a1b4c5d6e", "k8s.ns.name": "payments" };
const ON_HOST = { "container.id": "host" };

/** A process started (execve), as seen from its container's PID namespace. */
function exec(p: { name: string; pname?: string; vpid: number; pvpid: number; tty?: number }, where: object = IN_CONTAINER): FalcoEvent {
  return { ...where, "evt.type": "execve", "proc.name": p.name, ...(p.pname ? { "proc.pname": p.pname } : {}), "proc.vpid": p.vpid, "proc.pvpid": p.pvpid, "proc.tty": p.tty ?? 0 };
}

/** A file opened (openat) with the path as the process gave it, relative to its working directory. */
function open(path: string, mode: "read" | "write", cwd = "/", where: object = IN_CONTAINER): FalcoEvent {
  return {
    ...where, "evt.type": "openat", "evt.is_open_read": String(mode === "read"), "evt.is_open_write": String(mode === "write"),
    "fd.typechar": "f", "fd.num": 5, "fd.name": falcoFdName(path, cwd), "fd.nameraw": path,
  };
}

function link(kind: "symlinkat" | "linkat", source: string, where: object = IN_CONTAINER): FalcoEvent {
  return { ...where, "evt.type": kind, ...(kind === "symlinkat" ? { "evt.arg.target": source, "evt.arg.linkpath": "/tmp/x" } : { "evt.arg.oldpath": source, "evt.arg.newpath": "/tmp/x" }) };
}

describe("the evaluator itself", () => {
  test("follows Falco on missing fields, lists, globs and numbers", () => {
    const e = new FalcoEvaluator([{ list: "l", items: ['"a"', '"b"'] }]);
    expect(e.matches('proc.name in (l)', { "proc.name": "b" })).toBe(true);
    expect(e.matches('proc.name in (l, "c")', { "proc.name": "c" })).toBe(true);
    expect(e.matches("not proc.pname exists", {})).toBe(true);
    expect(e.matches('proc.pname = "x"', {})).toBe(false);
    expect(e.matches('not proc.pname = "x"', {})).toBe(true);
    expect(e.matches('fd.name glob "/proc/*/etc/shadow"', { "fd.name": "/proc/1/root/proc/self/root/etc/shadow" })).toBe(true);
    expect(e.matches('fd.name glob "/proc/*/etc/shadow"', { "fd.name": "/etc/shadow" })).toBe(false);
    expect(e.matches("fd.num>=0 and proc.vpid = 1", { "fd.num": 0, "proc.vpid": 1 })).toBe(true);
    expect(falcoFdName("../../etc/./shadow", "/var/www")).toBe("/etc/shadow");
    expect(falcoFdName("/proc/self/cwd/../etc/shadow")).toBe("/proc/self/etc/shadow");
  });
});

describe("shell in a container", () => {
  const name = PLATFORM_RULE_NAMES.shellInContainer;
  test.each([
    ["kubectl exec -it", { name: "sh", pname: "containerd-shim", vpid: 27, pvpid: 0, tty: 34816 }],
    ["kubectl exec without a terminal", { name: "sh", pname: "containerd-shim", vpid: 27, pvpid: 0, tty: 0 }],
    ["a reverse shell from an exploited JVM that is PID 1", { name: "sh", pname: "java", vpid: 43, pvpid: 1 }],
    ["bash -c from a web app", { name: "bash", pname: "node", vpid: 88, pvpid: 12 }],
    ["a shell as PID 1 of a PID namespace made inside the container", { name: "sh", pname: "unshare", vpid: 1, pvpid: 0 }],
    ["a shell the attacker's shell runs", { name: "dash", pname: "sh", vpid: 90, pvpid: 43 }],
  ])("fires for %s", (_what, p) => {
    expect(fires(name, exec(p))).toBe(true);
  });

  test.each([
    ["the container's shell entrypoint", { name: "sh", pname: "containerd-shim", vpid: 1, pvpid: 0 }],
    ["a start script the entrypoint shell runs", { name: "sh", pname: "sh", vpid: 12, pvpid: 1 }],
    ["a process that is no shell", { name: "python3", pname: "java", vpid: 43, pvpid: 1 }],
  ])("stays quiet for %s", (_what, p) => {
    expect(fires(name, exec(p))).toBe(false);
  });

  test("stays quiet on the host", () => {
    expect(fires(name, exec({ name: "bash", pname: "sshd", vpid: 900, pvpid: 899, tty: 34816 }, ON_HOST))).toBe(false);
  });
});

describe("read of a sensitive file in a container", () => {
  const name = PLATFORM_RULE_NAMES.sensitiveFileRead;
  test.each([
    ["/etc/shadow", "/"],
    ["/etc/./shadow", "/"],
    ["//etc//shadow", "/"],
    ["/etc/../etc/shadow", "/"],
    ["../../etc/shadow", "/var/www"],
    ["shadow", "/etc"],
    ["/proc/self/root/etc/shadow", "/"],
    ["/proc/1/root/etc/shadow", "/"],
    ["/proc/thread-self/root/etc/shadow", "/"],
    ["/proc/self/task/7/root/etc/shadow", "/"],
    ["/proc/self/root/proc/self/root/etc/shadow", "/"],
    ["/proc/self/cwd/shadow", "/etc"],
    ["/proc/self/cwd/etc/shadow", "/"],
    ["/proc/self/cwd/../etc/shadow", "/tmp"],
    ["/root/.aws/credentials", "/"],
    ["/proc/1/root/root/.aws/credentials", "/"],
    ["/proc/self/cwd/.aws/credentials", "/root"],
  ])("fires for %s (working directory %s)", (path, cwd) => {
    expect(fires(name, open(path, "read", cwd))).toBe(true);
  });

  test.each([["/etc/passwd"], ["/tmp/shadow"], ["/etc/shadow.d/x"], ["/proc/self/root/etc/passwd"], ["/proc/1/status"]])("stays quiet for %s", (path) => {
    expect(fires(name, open(path, "read"))).toBe(false);
  });

  test("stays quiet for a write (the /etc rule's) and on the host", () => {
    expect(fires(name, open("/etc/shadow", "write"))).toBe(false);
    expect(fires(name, open("/etc/shadow", "read", "/", ON_HOST))).toBe(false);
  });
});

describe("link to a sensitive file in a container", () => {
  const name = PLATFORM_RULE_NAMES.sensitiveFileLink;
  test.each([
    ["symlinkat", "/etc/shadow"],
    ["symlinkat", "../../etc/shadow"],
    ["symlinkat", "/proc/self/root/etc/shadow"],
    ["linkat", "/root/.aws/credentials"],
  ] as const)("fires for %s to %s", (kind, source) => {
    expect(fires(name, link(kind, source))).toBe(true);
  });

  test("stays quiet for a link to another file, and on the host", () => {
    expect(fires(name, link("symlinkat", "/etc/passwd"))).toBe(false);
    expect(fires(name, link("symlinkat", "/etc/shadow", ON_HOST))).toBe(false);
  });
});

describe("write below /etc in a container", () => {
  const name = PLATFORM_RULE_NAMES.writeBelowEtc;
  test.each([["/etc/passwd", "/"], ["passwd", "/etc"], ["/proc/self/root/etc/ld.so.preload", "/"], ["/proc/1/cwd/etc/hosts", "/"]])("fires for %s (working directory %s)", (path, cwd) => {
    expect(fires(name, open(path, "write", cwd))).toBe(true);
  });
  test("stays quiet for a write elsewhere and a read of /etc", () => {
    expect(fires(name, open("/tmp/etc/passwd", "write"))).toBe(false);
    expect(fires(name, open("/etc/passwd", "read"))).toBe(false);
  });
});
