import { ENVIRONMENTS } from "../../../../environments";
import { validateEnvironment } from "../../../../lib/config/validate-environment";
import { configErrorsWith, type Mutable } from "../../../support/config-errors";
import { dev } from "../../../../environments/dev";

const messages = (mutate: (c: Mutable) => void): string => configErrorsWith(dev, mutate).join("\n");

const falco = (c: Mutable) => c.security.falco;

describe("security.falco configuration", () => {
  test.each([...ENVIRONMENTS])("$name: runtime detection and alert forwarding are on, Falco's namespace exception is on record", (env) => {
    expect(validateEnvironment(env).problems).toEqual([]);
    expect(env.security.falco.optOut).toEqual({});
    expect(env.security.falco.podSecurity.level).toBe("privileged");
    expect(env.security.falco.rules.sensitiveFiles).toContain("/etc/shadow");
  });

  const rules: Array<[string, (c: Mutable) => void, RegExp]> = [
    ["an opt-out has no reason", (c) => (falco(c).optOut.runtimeDetection = {}), /security\.falco\.optOut\.runtimeDetection\.reason/],
    ["an opt-out reason is a word", (c) => (falco(c).optOut.alertForwarding = { reason: "no" }), /security\.falco\.optOut\.alertForwarding\.reason: got "no"; allowed: at least 20 \(why the default is turned off/],
    ["an opt-out flag is not one of the named ones", (c) => (falco(c).optOut.customRules = { reason: "we do not want the platform's rules here" }), /security\.falco\.optOut.*customRules/],
    ["the minimum forwarded priority is not Falco's", (c) => (falco(c).alertForwarding.minimumPriority = "HIGH"), /security\.falco\.alertForwarding\.minimumPriority: got "HIGH"; allowed: one of "EMERGENCY"/],
    ["a sensitive file is relative", (c) => (falco(c).rules.sensitiveFiles = ["etc/shadow"]), /security\.falco\.rules\.sensitiveFiles\[0\]: got "etc\/shadow"; allowed: an absolute path/],
    ["no sensitive file is named", (c) => (falco(c).rules.sensitiveFiles = []), /security\.falco\.rules\.sensitiveFiles: got \[\]; allowed: .*at least one file/],
    ["an outbound namespace is not a namespace name", (c) => (falco(c).rules.outbound = { Payments: [] }), /security\.falco\.rules\.outbound/],
    ["an outbound destination is not a CIDR", (c) => (falco(c).rules.outbound.payments = [{ cidr: "api.example.com" }]), /security\.falco\.rules\.outbound\.payments\[0\]\.cidr: got "api\.example\.com"; allowed: an IPv4 network/],
    ["an outbound port is out of range", (c) => (falco(c).rules.outbound.payments = [{ cidr: "203.0.113.0/24", ports: [70000] }]), /outbound\.payments\[0\]\.ports\[0\]: got 70000/],
    ["the Pod Security level is not privileged", (c) => (falco(c).podSecurity.level = "baseline"), /security\.falco\.podSecurity\.level: got "baseline"; allowed: one of "privileged"/],
    ["the Pod Security exception has no reason", (c) => (falco(c).podSecurity.reason = ""), /security\.falco\.podSecurity\.reason/],
    ["falcosidekick has no replica", (c) => (falco(c).alertForwarding.replicas = 0), /security\.falco\.alertForwarding\.replicas: got 0/],
    ["the section is missing", (c) => delete c.security.falco, /security\.falco: got nothing/],
    ["an outbound namespace is no team's", (c) => (falco(c).rules.outbound.checkout = [{ cidr: "198.51.100.0/24", ports: [443] }]), /security\.falco\.rules\.outbound\.checkout: got "checkout"; allowed: a team namespace of security\.namespaces\.teams \(payments\)/],
  ];
  test.each(rules)("fails when %s", (_name, mutate, message) => {
    expect(messages(mutate)).toMatch(message);
  });
});
