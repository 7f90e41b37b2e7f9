/**
 * The configuration rules that come from the add-on registry (stacks/addon-config.ts): the platform namespaces the
 * enabled add-ons run in, Pod Security exceptions owned by an add-on's own section, and typed dependencies between
 * add-ons. Checked before anything is built; one line per problem, naming the field.
 */
import { dev } from "../../environments/dev";
import { prod } from "../../environments/prod";
import type { EnvironmentConfig } from "../../lib/config/environment-schema";
import { formatProblems } from "../../lib/problems";
import { addonConfigProblems, validateAddonConfigs } from "../../stacks/addon-config";
import { addonDependencyProblems } from "../../stacks/addon-layer";
import { ADDONS, awsPrivateCaIssuerAddon, certManagerAddon, type AddonDescriptor } from "../../constructs/addons/registry";

type Mutable = Record<string, any>;
const REASON = { reason: "a reason long enough to be on record in review" };
const messages = (mutate: (c: Mutable) => void): string => {
  const copy = structuredClone(dev) as Mutable;
  mutate(copy);
  return formatProblems("dev", addonConfigProblems(copy as EnvironmentConfig));
};
const ns = (c: Mutable) => c.security.namespaces;

test("the committed dev environment satisfies the registry", () => {
  expect(addonConfigProblems(dev)).toEqual([]);
});

const rules: Array<[string, (c: Mutable) => void, RegExp]> = [
  ["a platform namespace is left out", (c) => delete ns(c).platform.falco, /security\.namespaces\.platform\.falco: got nothing; allowed: the baseline of namespace "falco", where falco runs/],
  ["an unknown namespace is under platform", (c) => (ns(c).platform.shop = structuredClone(ns(c).platform.monitoring)), /security\.namespaces\.platform\.shop: got "shop"; allowed: one of the platform's namespaces, .*a team's namespaces go under its entry/],
  ["Falco's namespace gets a second Pod Security level", (c) => (ns(c).platform.falco.podSecurity = { level: "privileged", ...REASON }), /platform\.falco\.podSecurity: got .*; allowed: nothing: the namespace takes its level and reason from security\.falco\.podSecurity/],
  ["istio-system gets a second Pod Security level", (c) => (ns(c).platform["istio-system"].podSecurity = { level: "privileged", ...REASON }), /platform\.istio-system\.podSecurity: got .*; allowed: nothing: the namespace takes its level and reason from security\.mesh\.cni\.podSecurity/],
  // The add-on's section is its construct's props, checked by the construct's own validator with the section's path.
  ["Falco's memory request exceeds its limit", (c) => (c.security.falco.resources.requests.memory = "2Gi"), /security\.falco\.resources\.requests\.memory: got "2Gi"; allowed: at most limits\.memory \(512Mi\)/],
  ["falcosidekick's memory request exceeds its limit", (c) => (c.security.falco.alertForwarding.resources.requests.memory = "1Gi"), /security\.falco\.alertForwarding\.resources\.requests\.memory: got "1Gi"/],
  ["the chaos operator's memory request exceeds its limit", (c) => (c.chaos.litmus.resources.requests.memory = "4Gi"), /chaos\.litmus\.resources\.requests\.memory: got "4Gi"; allowed: at most limits\.memory/],
  ["a hosted zone is listed twice", (c) => ((c.security.certManager.issuer = structuredClone(prod.security.certManager.issuer)), c.security.certManager.issuer.hostedZones.push({ ...c.security.certManager.issuer.hostedZones[0], domain: "other.example.com" })), /security\.certManager\.issuer\.hostedZones\[1\]\.zoneId: got "Z0PROD0PLATFORM0EXAMPLE"; allowed: each zone once/],
  ["a domain is listed for two zones", (c) => ((c.security.certManager.issuer = structuredClone(prod.security.certManager.issuer)), c.security.certManager.issuer.hostedZones.push({ zoneId: "Z0OTHER0ZONE", domain: "platform.example.com" })), /security\.certManager\.issuer\.hostedZones\[1\]\.domain: got "platform\.example\.com"; allowed: each domain once/],
  ["a cert-manager memory request exceeds its limit", (c) => (c.security.certManager.cainjector.resources.requests.memory = "4Gi"), /security\.certManager\.cainjector\.resources\.requests\.memory: got "4Gi"; allowed: at most limits\.memory/],
  ["istiod's maxReplicas is below its replicas", (c) => ((c.security.mesh.istiod.replicas = 2), (c.security.mesh.istiod.maxReplicas = 1)), /security\.mesh\.istiod\.maxReplicas: got 1; allowed: a whole number, at least replicas \(2\)/],
  ["the gateway's memory request exceeds its limit", (c) => (c.security.mesh.gateway.resources.requests.memory = "8Gi"), /security\.mesh\.gateway\.resources\.requests\.memory: got "8Gi"; allowed: at most limits\.memory/],
  ["retention would fill the Prometheus volume", (c) => (c.observability.prometheus.retentionSizeGiB = 10), /observability\.prometheus\.retentionSizeGiB: got 10; allowed: at most 8 \(85% of storageGiB 10/],
  ["rules are evaluated more often than samples are scraped", (c) => (c.observability.prometheus.evaluationInterval = "15s"), /observability\.prometheus\.evaluationInterval: got "15s"; allowed: at least scrapeInterval \(30s\)/],
  ["a monitoring memory request exceeds its limit", (c) => (c.observability.grafana.resources.requests.memory = "1Gi"), /observability\.grafana\.resources\.requests\.memory: got "1Gi"; allowed: at most limits\.memory \(256Mi\)/],
  // The tracing section is the two constructs' props, each checked by its own validator at the section's paths.
  ["tail sampling would run on two collector replicas", (c) => ((c.observability.tracing.sampling = { percentage: 10, keepErrors: true }), (c.observability.tracing.collector.replicas = 2)), /observability\.tracing\.collector\.replicas: got 2; allowed: 1 while sampling keeps errors or slow traces/],
  ["the collector's memory request exceeds its limit", (c) => (c.observability.tracing.collector.resources.requests.memory = "1Gi"), /observability\.tracing\.collector\.resources\.requests\.memory: got "1Gi"; allowed: at most limits\.memory/],
  ["Tempo is given a CPU limit", (c) => (c.observability.tracing.tempo.resources.limits.cpu = "2"), /observability\.tracing\.tempo\.resources\.limits\.cpu: got "2"; allowed: nothing: no CPU limit/],
  ["tracing is on without the tempo namespace's baseline", (c) => delete ns(c).platform.tempo, /security\.namespaces\.platform\.tempo: got nothing; allowed: the baseline of namespace "tempo", where tempo runs/],
];
test.each(rules)("fails when %s, naming the field", (_what, mutate, message) => {
  expect(messages(mutate)).toMatch(message);
});

test("a disabled add-on's namespace need not be configured, and may be", () => {
  expect(messages((c) => ((c.security.falco.optOut.runtimeDetection = REASON), delete ns(c).platform.falco))).toBe("");
  expect(messages((c) => (c.security.falco.optOut.runtimeDetection = REASON))).toBe("");
});

test("validateAddonConfigs names every environment with problems and throws before anything is built", () => {
  const bad = structuredClone(dev) as Mutable;
  delete bad.security.namespaces.platform.monitoring;
  expect(() => validateAddonConfigs([bad as EnvironmentConfig])).toThrow(/environment "dev".*security\.namespaces\.platform\.monitoring: got nothing/);
  expect(() => validateAddonConfigs([dev])).not.toThrow();
});

describe("typed dependencies", () => {
  test("an add-on that needs one the environment does not run names what to enable", () => {
    const needsOff: AddonDescriptor<any> = { ...awsPrivateCaIssuerAddon, name: "needs-cert-manager", enabled: () => true, requires: [{ ...certManagerAddon, enabled: () => false }] };
    expect(formatProblems("dev", addonDependencyProblems(dev, [...ADDONS, needsOff]))).toMatch(/security\.certManager: got "off"; allowed: cert-manager enabled: needs-cert-manager \(security\.certManager\.issuer\) needs it/);
  });

  test("the registry lists every add-on after what it requires", () => {
    expect(addonDependencyProblems(dev)).toEqual([]);
    const reordered = [awsPrivateCaIssuerAddon, ...ADDONS.filter((a) => a !== awsPrivateCaIssuerAddon)];
    const privateCa = structuredClone(dev) as Mutable;
    privateCa.security.certManager.issuer = { type: "awsPrivateCA", certificateAuthorityArn: "arn:aws:acm-pca:eu-west-1:111111111111:certificate-authority/11111111-2222-3333-4444-555555555555" };
    expect(formatProblems("dev", addonDependencyProblems(privateCa as EnvironmentConfig, reordered))).toMatch(/ADDONS\[0\]: got "aws-privateca-issuer"; allowed: an add-on listed after what it requires \(cert-manager\)/);
  });
});
