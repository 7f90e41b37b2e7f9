/**
 * The Falco rules each environment delivers (the falco release's `customRules`, as synthesized) hold against the
 * evasions `test/lib/security/falco/evasions.test.ts` lists: a shell without a terminal, and every sensitive file the
 * environment lists read through /proc's magic links to the container's root.
 */
import { parse } from "yaml";
import { ENVIRONMENTS } from "../../environments";
import { synthesizedStack } from "../support/synthesized-app";
import type { FalcoRule, FalcoRuleItem } from "../../lib/security/falco/rule-file";
import { PLATFORM_RULE_NAMES } from "../../lib/security/falco/rules";
import { falcoFdName, FalcoEvaluator } from "../lib/security/falco/support/evaluate";

type Json = Record<string, any>;
const CONTAINER = { "container.id": "3f2a1b4c5d6e", "k8s.ns.name": "payments" };

describe.each(ENVIRONMENTS.map((c) => [c.name, c] as const))("%s delivered Falco rules", (env, config) => {
  const security = synthesizedStack(`${env}-security`);
  const values = parse(Object.values<Json>(security.resource.helm_release).find((r) => r.chart === "falco")!.values[0]);
  const items: FalcoRuleItem[] = parse(Object.values<string>(values.customRules)[0]!);
  const evaluator = new FalcoEvaluator(items);
  const condition = (name: string) => items.find((i): i is FalcoRule => "rule" in i && i.rule === name)!.condition;

  test("a shell an exploited process starts without a terminal fires; the container's own entrypoint shell does not", () => {
    const shell = (pname: string, vpid: number, pvpid: number) => ({ ...CONTAINER, "evt.type": "execve", "proc.name": "sh", "proc.pname": pname, "proc.vpid": vpid, "proc.pvpid": pvpid, "proc.tty": 0 });
    expect(evaluator.matches(condition(PLATFORM_RULE_NAMES.shellInContainer), shell("java", 43, 1))).toBe(true);
    expect(evaluator.matches(condition(PLATFORM_RULE_NAMES.shellInContainer), shell("containerd-shim", 1, 0))).toBe(false);
  });

  test("every sensitive file the environment lists fires when read through /proc/self/root, /proc/1/root or an unfolded path", () => {
    expect(config.security.falco.rules.sensitiveFiles.length).toBeGreaterThan(0);
    for (const file of config.security.falco.rules.sensitiveFiles) {
      for (const path of [file, `/proc/self/root${file}`, `/proc/1/root${file}`, `/.${file}`, `/tmp/..${file}`]) {
        const read = { ...CONTAINER, "evt.type": "openat", "evt.is_open_read": "true", "fd.typechar": "f", "fd.num": 3, "fd.name": falcoFdName(path) };
        expect([path, evaluator.matches(condition(PLATFORM_RULE_NAMES.sensitiveFileRead), read)]).toEqual([path, true]);
      }
    }
  });
});
