/**
 * What must hold in every one of the nine layers of every environment, computed from the environments' data and the
 * add-on registry (never from the synthesized output): every layer is synthesized with encrypted, isolated state;
 * every Helm release is atomic and pinned to an exact chart version; every custom resource lives in a `-resources`
 * layer after the stack of the add-on that installs its CRD, and depends on that stack; every namespace the baseline
 * makes denies by default unless a named opt-out says otherwise. (Containers' requests and limits and the admission
 * checks run over every registered add-on in test/constructs/addons/hardening.test.ts.)
 */
import { ENVIRONMENTS } from "../../environments";
import { isExactVersion } from "../../constructs/addons/helm-addon";
import { addonNamespaces, ADDONS, enabledAddons } from "../../constructs/addons/registry";
import { LAYERS, layerIndex, type Layer } from "../../lib/platform/layers";
import { synthesizedManifest, synthesizedStack } from "../support/synthesized-app";

type Json = Record<string, any>;
const resources = (tf: Json, type: string): Array<[string, Json]> => Object.entries<Json>(tf.resource?.[type] ?? {});

/** The stacks a stack deploys after, directly or through others. */
function dependenciesOf(stack: string, manifest: Json): Set<string> {
  const seen = new Set<string>();
  const walk = (s: string) => {
    for (const d of (manifest.stacks[s]?.dependencies ?? []) as string[]) if (!seen.has(d)) (seen.add(d), walk(d));
  };
  walk(stack);
  return seen;
}

/** Kinds Kubernetes itself serves (the core group and `*.k8s.io` groups): no CRD to wait for. */
const isBuiltIn = (apiVersion: string) => !apiVersion.includes("/") || apiVersion.split("/")[0]!.endsWith(".k8s.io");

/** `apiVersion/kind` → the add-on whose chart installs the CRD. */
const INSTALLER = new Map(ADDONS.flatMap((a) => Object.keys(a.crds ?? {}).map((k) => [k, a] as const)));

describe.each(ENVIRONMENTS.map((c) => [c.name, c] as const))("%s", (env, config) => {
  const manifest = synthesizedManifest();
  const stacks = Object.fromEntries(LAYERS.map((l) => [l, synthesizedStack(`${env}-${l}`)])) as Record<Layer, Json>;

  test("every layer is a stack with its own encrypted state object, reached as the deploy role", () => {
    expect(Object.keys(manifest.stacks).filter((s) => s.startsWith(`${env}-`)).sort()).toEqual(LAYERS.map((l) => `${env}-${l}`).sort());
    for (const [layer, tf] of Object.entries(stacks)) {
      const s3 = tf.terraform.backend.s3;
      expect({ layer, key: s3.key, encrypt: s3.encrypt, kms: s3.kms_key_id, role: s3.assume_role?.role_arn }).toEqual({
        layer, key: `${config.backend.keyPrefix}/${env}-${layer}.tfstate`, encrypt: true, kms: config.backend.kmsKeyId, role: config.iam.deployRoleArn,
      });
    }
  });

  test("every Helm release is atomic, cleans up a failed upgrade, waits, and pins an exact chart version", () => {
    const releases = Object.entries(stacks).flatMap(([layer, tf]) => resources(tf, "helm_release").map(([id, r]) => ({ layer, id, r })));
    expect(releases.length).toBeGreaterThanOrEqual(enabledAddons(config).filter((a) => a.images.length > 0).length);
    for (const { layer, id, r } of releases) {
      expect({ layer, id, atomic: r.atomic, cleanup: r.cleanup_on_fail, wait: r.wait, exact: isExactVersion(String(r.version)) }).toEqual({ layer, id, atomic: true, cleanup: true, wait: true, exact: true });
    }
  });

  test("Helm releases live only in the layers the registry builds add-ons in", () => {
    const releaseLayers = new Set(enabledAddons(config).map((a) => a.layer));
    for (const [layer, tf] of Object.entries(stacks)) {
      if (resources(tf, "helm_release").length > 0) expect({ layer, registered: releaseLayers.has(layer as never) }).toEqual({ layer, registered: true });
    }
  });

  test("every custom resource is in a -resources layer after its CRD's installer, and its stack depends on the installer's", () => {
    let count = 0;
    for (const [layer, tf] of Object.entries(stacks) as Array<[Layer, Json]>) {
      const deps = dependenciesOf(`${env}-${layer}`, manifest);
      for (const [id, m] of resources(tf, "kubernetes_manifest").filter(([, x]) => !isBuiltIn(x.manifest.apiVersion))) {
        count++;
        const key = `${m.manifest.apiVersion}/${m.manifest.kind}`;
        const installer = INSTALLER.get(key);
        expect({ id, key, installedByRegisteredAddon: installer !== undefined, enabled: installer?.enabled(config) }).toEqual({ id, key, installedByRegisteredAddon: true, enabled: true });
        expect({ id, layer, resourcesLayer: layer.endsWith("-resources"), after: layerIndex(layer) > layerIndex(installer!.layer), dependsOnInstaller: deps.has(`${env}-${installer!.layer}`) }).toEqual({
          id, layer, resourcesLayer: true, after: true, dependsOnInstaller: true,
        });
      }
    }
    expect(count).toBeGreaterThan(0);
  });

  test("every namespace the baseline makes denies all traffic by default unless a named opt-out says otherwise", () => {
    const platform = addonNamespaces(enabledAddons(config)).map(({ namespace }) => [namespace.name, config.security.namespaces.platform[namespace.name]] as const);
    const teams = config.security.namespaces.teams.flatMap((t) => Object.entries(t.namespaces));
    const expected = [...platform, ...teams];
    const policies = Object.values(stacks).flatMap((tf) => resources(tf, "kubernetes_network_policy_v1").map(([, p]) => p));
    const namespaces = Object.values(stacks).flatMap((tf) => resources(tf, "kubernetes_namespace_v1").map(([id, n]) => ({ id, name: n.metadata.name as string })));
    expect(namespaces.map((n) => n.name).sort()).toEqual(expected.map(([name]) => name).sort());
    for (const [name, settings] of expected) {
      const { id } = namespaces.find((n) => n.name === name)!;
      const denies = policies.some((p) => p.metadata.name === "default-deny" && String(p.metadata.namespace).includes(`kubernetes_namespace_v1.${id}.`) && JSON.stringify(p.spec.policy_types) === JSON.stringify(["Ingress", "Egress"]) && JSON.stringify(p.spec.pod_selector) === "{}");
      expect({ name, denies }).toEqual({ name, denies: settings?.optOut?.defaultDenyNetworkPolicies === undefined });
    }
  });
});
