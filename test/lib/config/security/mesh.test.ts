import { ENVIRONMENTS } from "../../../../environments";
import { validateEnvironment } from "../../../../lib/config/validate-environment";
import { configErrorsWith, type Mutable } from "../../../support/config-errors";
import { dev } from "../../../../environments/dev";
import { staging } from "../../../../environments/staging";
import { prod } from "../../../../environments/prod";

const messages = configErrorsWith;

const mesh = (c: Mutable) => c.security.mesh;
const webhook = { name: "kyverno", namespace: "kyverno", selector: { app: "kyverno" }, port: 9443 };

describe("security.mesh configuration", () => {
  test("accepts the shipped environments", () => {
    for (const env of ENVIRONMENTS) expect(validateEnvironment(env).problems).toEqual([]);
  });

  test("every zero-trust default of the mesh is on in every committed environment: no opt-out is taken", () => {
    for (const env of ENVIRONMENTS) expect(env.security.mesh.optOut).toEqual({});
  });

  test("sizes are data: prod runs three of each across zones, dev one of each", () => {
    const size = (e: typeof dev) => [e.security.mesh.istiod.replicas, e.security.mesh.gateway.replicas, e.security.mesh.spreadAcrossZones];
    expect(size(prod)).toEqual([3, 3, true]);
    expect(size(staging)).toEqual([2, 2, true]);
    expect(size(dev)).toEqual([1, 1, false]);
  });

  test("accepts an opt-out with its reason, exposures and webhooks", () => {
    expect(
      messages(dev, (c) => {
        mesh(c).optOut.privateIngress = { reason: "public demo endpoint for the sales team, no data behind it" };
        mesh(c).expose = [{ namespace: "shop", selector: { app: "checkout" }, ports: [8080] }];
        mesh(c).webhooks = [webhook];
      }),
    ).toEqual([]);
  });

  const rules: Array<[string, (c: Mutable) => void, RegExp]> = [
    ["replicas are zero", (c) => (mesh(c).gateway.replicas = 0), /security\.mesh\.gateway\.replicas: got 0/],
    ["a resource has no memory limit", (c) => (mesh(c).cni.resources.limits = {}), /security\.mesh\.cni\.resources\.limits\.memory/],
    ["an opt-out has no reason", (c) => (mesh(c).optOut.permissiveMtls = {}), /security\.mesh\.optOut\.permissiveMtls\.reason/],
    ["an opt-out's reason is too short", (c) => (mesh(c).optOut.defaultDenyAuthorization = { reason: "legacy" }), /security\.mesh\.optOut\.defaultDenyAuthorization\.reason: got "legacy"; allowed: .*why the default is turned off/],
    ["an opt-out is a plain boolean", (c) => (mesh(c).optOut.istioMutualDestinationRule = true), /security\.mesh\.optOut\.istioMutualDestinationRule: got true/],
    ["an unknown opt-out is named", (c) => (mesh(c).optOut.noMtls = { reason: "a reason of more than twenty characters" }), /security\.mesh\.optOut/],
    ["an exposure targets istio-system", (c) => (mesh(c).expose = [{ namespace: "istio-system", ports: [80] }]), /security\.mesh\.expose\[0\]\.namespace: got "istio-system"; allowed: a workload namespace, not istio-system/],
    ["an exposure names an Istio port", (c) => (mesh(c).expose = [{ namespace: "shop", ports: [15090] }]), /security\.mesh\.expose\[0\]\.ports\[0\]: got 15090; allowed: a port outside 15000–15099/],
    ["an exposure has no port", (c) => (mesh(c).expose = [{ namespace: "shop", ports: [] }]), /security\.mesh\.expose\[0\]\.ports: got \[\]/],
    ["two exposures repeat a namespace and selector", (c) => (mesh(c).expose = [{ namespace: "shop", ports: [80] }, { namespace: "shop", ports: [81] }]), /security\.mesh\.expose\[1\]: .*one entry per namespace and selector/],
    ["a webhook has an empty selector", (c) => (mesh(c).webhooks = [{ ...webhook, selector: {} }]), /security\.mesh\.webhooks\[0\]\.selector: got \{\}; allowed: at least one label/],
    ["two webhooks share a name", (c) => (mesh(c).webhooks = [webhook, { ...webhook, namespace: "other" }]), /security\.mesh\.webhooks\[1\]\.name: .*"kyverno" is repeated/],
    ["a webhook namespace is not a name", (c) => (mesh(c).webhooks = [{ ...webhook, namespace: "Kyverno" }]), /security\.mesh\.webhooks\[0\]\.namespace: got "Kyverno"/],
    ["the CNI agent's Pod Security exception has no reason", (c) => delete mesh(c).cni.podSecurity.reason, /security\.mesh\.cni\.podSecurity\.reason: got nothing/],
    ["the CNI agent's namespace is claimed restricted", (c) => (mesh(c).cni.podSecurity.level = "restricted"), /security\.mesh\.cni\.podSecurity\.level: got "restricted"/],
    ["the mesh section is missing", (c) => delete c.security.mesh, /security\.mesh: got nothing/],
  ];
  test.each(rules)("fails when %s", (_name, mutate, message) => {
    const out = messages(dev, mutate);
    expect(out.some((line) => message.test(line))).toBe(true);
  });
});
