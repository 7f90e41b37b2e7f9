/**
 * The two delivery modes of the platform's add-ons (`delivery.mode`): Terraform Helm releases, or the GitOps bridge.
 * The same environment is built both ways and compared on what Terraform would apply: in `gitops` mode no release but
 * Argo CD's, the same IAM roles, a cluster Secret whose labels enable exactly the add-ons Helm would install, and one
 * ApplicationSet per release whose chart version and values — once its annotation reads are filled in from that
 * Secret, as the ApplicationSet controller does — equal the Helm release's.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Testing, TerraformStack } from "cdktf";
import { parse } from "yaml";
import { dev } from "../../environments/dev";
import { prod } from "../../environments/prod";
import { ENVIRONMENTS, loadEnvironments } from "../../environments";
import type { EnvironmentConfig } from "../../lib/config/environment-schema";
import { buildEnvironmentWithAddons } from "../../stacks/environment-stacks";
import { gitOpsDocuments } from "../../stacks/gitops-artifacts";
import { runSynth } from "../../stacks/synth";
import { compileEnvironmentSlos } from "../../stacks/slo-artifacts";
import { generateEnvironmentObservability, observabilityArtifacts } from "../../stacks/observability-artifacts";
import { crdSchemaProblems } from "../../lib/kubernetes/crd-schemas";

type Json = Record<string, any>;

function gitopsOf(config: EnvironmentConfig): EnvironmentConfig {
  const copy = structuredClone(config);
  copy.delivery.mode = "gitops";
  return copy;
}

/** Every stack of an environment, synthesized and parsed. */
function synthesized(config: EnvironmentConfig) {
  // As the synth builds it: with the generated Alertmanager configuration (full of Go templates) and dashboards.
  const slos = compileEnvironmentSlos(config, ENVIRONMENTS.map((e) => e.name));
  const artifacts = observabilityArtifacts(generateEnvironmentObservability(config, slos.compiled));
  const built = buildEnvironmentWithAddons(Testing.app(), config, { prometheusRules: slos.sloCount > 0 ? [slos.prometheusRule] : [], ...artifacts });
  const stacks = Object.values(built.stacks) as TerraformStack[];
  const json = stacks.map((s) => JSON.parse(Testing.synth(s)) as Json);
  const resources = (type: string) => json.flatMap((j) => Object.values(j.resource?.[type] ?? {})) as Json[];
  return { built, resources };
}

/**
 * What the ApplicationSet controller's Go templates do with a template string: annotation reads replaced, escaped
 * braces restored; any other `{{` or `}}` would be an action Go runs (or fails on), so it is an error here.
 */
function renderTemplate(text: string, annotations: Record<string, string>): string {
  return text.replace(/\{\{ index \.metadata\.annotations "([a-z0-9_]+)" \}\}|\{\{ "(\{\{|\}\})" \}\}|(\{\{|\}\})/g, (m, key?: string, brace?: string) => {
    if (key !== undefined) {
      if (!(key in annotations)) throw new Error(`annotation ${key} is not in the cluster Secret`);
      return annotations[key]!;
    }
    if (brace !== undefined) return brace;
    throw new Error(`an unescaped ${m} in the values: the ApplicationSet controller would run it as a template`);
  });
}

describe.each([
  ["dev", dev],
  ["prod", prod],
] as const)("%s delivered through the GitOps bridge", (_name, config) => {
  const helm = synthesized(config);
  const gitops = synthesized(gitopsOf(config));
  const releases = helm.resources("helm_release");
  const catalog = gitops.built.addons.gitops!;
  const secret = gitops.resources("kubernetes_manifest").map((m) => m.manifest).find((m) => m.kind === "Secret" && m.metadata.labels?.["argocd.argoproj.io/secret-type"] === "cluster")!;
  const labels: Record<string, string> = { ...secret.metadata.labels, ...Object.assign({}, ...gitops.resources("kubernetes_labels").map((l) => l.labels)) };
  const annotations: Record<string, string> = { ...secret.metadata.annotations, ...Object.assign({}, ...gitops.resources("kubernetes_annotations").map((a) => a.annotations)) };

  test("Terraform installs only Argo CD with Helm, and keeps every IAM role", () => {
    expect(gitops.resources("helm_release").map((r) => r.name)).toEqual(["argocd"]);
    expect(gitops.resources("aws_iam_role").length).toBe(helm.resources("aws_iam_role").length);
    expect(gitops.resources("terraform_data").map((d) => d.input.chart).sort()).toEqual(releases.filter((r) => r.name !== "argocd").map((r) => r.chart).sort());
  });

  test("the cluster Secret enables exactly the releases Helm would install, and is in Argo CD's namespace", () => {
    const enabled = Object.keys(labels).filter((k) => k.startsWith("enable_") && labels[k] === "true").sort();
    expect(enabled).toEqual(releases.filter((r) => r.name !== "argocd").map((r) => `enable_${r.name.replace(/-/g, "_")}`).sort());
    expect(secret.metadata).toMatchObject({ name: "in-cluster", namespace: "argocd" });
    const data = Object.fromEntries(Object.entries(secret.data as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]));
    expect(data).toEqual({ name: config.cluster.name, server: "https://kubernetes.default.svc", config: '{"tlsClientConfig":{"insecure":false}}' });
    expect(annotations).toMatchObject({ aws_region: config.region, aws_account_id: config.account, environment: config.name });
  });

  test("every ApplicationSet pins the Helm release's chart and version and renders the same values", () => {
    const docs = gitOpsDocuments(catalog);
    for (const release of releases.filter((r) => r.name !== "argocd")) {
      const appSet = parse(docs[`addons/${release.name}.yaml`]!) as Json;
      const source = appSet.spec.template.spec.source;
      expect([release.name, source.chart, source.repoURL, source.targetRevision]).toEqual([release.name, release.chart, release.repository, release.version]);
      // What Helm receives from Terraform: its escapes `$${` and `%%{` (a collector's `${env:…}`) read back as `${` and `%{`.
      const helmGets = release.values[0].replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
      expect([release.name, parse(renderTemplate(source.helm.values, annotations))]).toEqual([release.name, parse(helmGets)]);
      expect(appSet.spec.generators[0].clusters.selector.matchLabels).toEqual({ "argocd.argoproj.io/secret-type": "cluster", [`enable_${release.name.replace(/-/g, "_")}`]: "true" });
    }
  });

  test("the IRSA role of a release reaches its chart through the gitops-bridge annotation", () => {
    const es = parse(gitOpsDocuments(catalog)["addons/external-secrets.yaml"]!) as Json;
    expect(parse(es.spec.template.spec.source.helm.values).serviceAccount.annotations).toEqual({ "eks.amazonaws.com/role-arn": '{{ index .metadata.annotations "external_secrets_iam_role_arn" }}' });
    expect(annotations.external_secrets_iam_role_arn).toMatch(/^\$\{aws_iam_role\..+\.arn\}$/);
    expect(annotations).toMatchObject({ external_secrets_namespace: "external-secrets", external_secrets_service_account: "external-secrets" });
  });

  test("each ApplicationSet's Application template and the add-ons' project are valid against the pinned CRDs", () => {
    const project = gitops.resources("kubernetes_manifest").map((m) => m.manifest).find((m) => m.kind === "AppProject" && m.metadata.name === "platform-addons")!;
    expect(project.spec.sourceRepos).toEqual([...new Set(releases.filter((r) => r.name !== "argocd").map((r) => r.repository))].sort());
    const docs: Record<string, string> = { ...gitOpsDocuments(catalog), "platform-addons (Terraform)": JSON.stringify(project) };
    for (const [file, text] of Object.entries(docs)) {
      const doc = parse(text) as Json;
      const object = doc.kind === "ApplicationSet" ? { apiVersion: doc.apiVersion, kind: "Application", metadata: doc.spec.template.metadata, spec: doc.spec.template.spec } : doc;
      const schema = object.kind === "Application" ? "argoproj.io/application_v1alpha1.json" : "argoproj.io/appproject_v1alpha1.json";
      expect([file, crdSchemaProblems(object as any, schema)]).toEqual([file, []]);
    }
  });
});

test("helm mode writes nothing to Git and makes no cluster Secret", () => {
  const helm = synthesized(dev);
  expect(helm.built.addons.gitops).toBeUndefined();
  expect(helm.resources("terraform_data")).toEqual([]);
  expect(helm.resources("kubernetes_labels")).toEqual([]);
});

test("the synth writes the gitops environment's ApplicationSets to cdktf.out/gitops/<env>/, and none for a helm one", () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "gitops-synth-"));
  try {
    const inputs = ENVIRONMENTS.map((e) => (e.name === "dev" ? gitopsOf(e) : e));
    const environments = { load: (names?: readonly string[]) => loadEnvironments(names, inputs), names: ENVIRONMENTS.map((e) => e.name) };
    const spy = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
    let code: number;
    try {
      code = runSynth(["--env", "dev,staging", "--out", out], {}, environments);
    } finally {
      spy.mockRestore();
    }
    expect(code).toBe(0);
    expect(fs.readdirSync(path.join(out, "gitops"))).toEqual(["dev"]);
    expect(fs.readdirSync(path.join(out, "gitops", "dev", "addons")).sort()).toContain("external-secrets.yaml");
    expect(fs.readdirSync(path.join(out, "gitops", "dev"))).toEqual(["addons"]);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
