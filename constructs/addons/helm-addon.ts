import { Construct } from "constructs";
import { DataResource, ITerraformDependable, TerraformResource, Token } from "cdktf";
import { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { Release } from "@cdktf/provider-helm/lib/release";
import { stringify } from "yaml";
import type { ICluster } from "../cluster/cluster-types";
import { checkAccessMatchesCluster, IClusterAccess } from "../cluster/cluster-access";
import { deepMerge, isPlainObject, PlainObject } from "../common/deep-merge";
import { IrsaRole } from "../common/irsa-role";
import { isUnresolved, throwIfProblems, ValidationProblem, requireProps } from "../common/validation";
import { isDnsLabel } from "../../lib/kubernetes/names";
import { annotationKey, bridgeValues } from "../../lib/delivery/gitops-bridge";
import { GitOpsCatalog } from "./gitops-delivery";

/**
 * What an add-on pins about its chart, declared once per add-on in a `DEFAULTS` constant: chart, repository and
 * version sit in one place, so a chart upgrade is a one-line, reviewable diff and nothing else pins a second copy.
 */
export interface HelmChartDefaults {
  /** Chart name, e.g. `metrics-server` (for an OCI repository, the last path segment). */
  readonly chart: string;
  /** `https://…` chart repository or `oci://…` registry path. */
  readonly repository: string;
  /** Exact chart version (semver, no range). */
  readonly version: string;
  /** Namespace the release goes into. */
  readonly namespace: string;
  /** Helm release name. */
  readonly releaseName: string;
  /**
   * The CRDs the chart installs, `apiVersion/kind` → JSON schema file under `schemas/crds/`: a custom resource of one
   * of these kinds may name this add-on as its installer, and is validated against that schema at synth.
   * @default {} (the chart installs no CRD the platform creates objects of)
   */
  readonly crds?: Readonly<Record<string, string>>;
}

/** What every add-on accepts from its caller; each add-on's props extend this. */
export interface HelmAddonProps {
  /** The cluster the add-on is installed into. */
  readonly cluster: ICluster;
  /**
   * Chart values deep-merged last, over the add-on's typed values (objects merge, arrays replace,
   * `null` removes a chart default).
   * @default - none
   */
  readonly values?: Record<string, unknown>;
  /**
   * Exact chart version, to move one environment ahead of the pinned default.
   * @default - the add-on's `DEFAULTS.version`
   */
  readonly version?: string;
  /**
   * Namespace of the release.
   * @default - the add-on's `DEFAULTS.namespace`
   */
  readonly namespace?: string;
  /**
   * Secrets by dotted value path (e.g. `alertmanager.config.global.slack_api_url`), passed with Helm's
   * `set_sensitive` so they stay out of the values document and the plan output (they are still in state).
   * @default - none
   */
  readonly sensitiveValues?: Readonly<Record<string, string>>;
  /**
   * Constructs the release waits for, e.g. the cluster's node groups or another add-on
   * (every add-on is itself dependable). References, never names.
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
  /**
   * How Terraform reaches the cluster: its Helm provider installs the release. The same object goes to
   * every add-on (see `ClusterAccess`); it must be for {@link cluster}.
   * @default - the stack's default Helm provider
   */
  readonly access?: IClusterAccess;
}

/** Release behaviour knobs; the defaults suit every add-on of the platform. */
export interface HelmReleaseOptions {
  /**
   * Let Helm create the namespace if it does not exist.
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * Roll a failed install or upgrade back instead of leaving a half-applied release.
   * @default true
   */
  readonly atomic?: boolean;
  /**
   * Wait until the release's workloads are ready before Terraform carries on.
   * @default true
   */
  readonly wait?: boolean;
  /**
   * Seconds Helm waits for each operation.
   * @default 600
   */
  readonly timeoutSeconds?: number;
  /**
   * Delete resources created by a failed upgrade.
   * @default true
   */
  readonly cleanupOnFail?: boolean;
  /**
   * Release revisions Helm keeps (each is a Secret in the namespace).
   * @default 10
   */
  readonly maxHistory?: number;
}

/**
 * The IRSA hook: the add-on names the service account its chart creates and where the chart takes its
 * annotations; the base creates an {@link IrsaRole} trusted by exactly that account and writes
 * `eks.amazonaws.com/role-arn` into the values.
 */
export interface HelmAddonIrsa {
  /** Name the chart gives the service account; written into the values at `namePath`. */
  readonly serviceAccountName: string;
  /** Path of the service account name in the chart values, e.g. `["serviceAccount", "name"]`. */
  readonly namePath: readonly string[];
  /** Path of the service account annotations map, e.g. `["serviceAccount", "annotations"]`. */
  readonly annotationsPath: readonly string[];
  /**
   * Least-privilege statements of the role.
   * @default - none
   */
  readonly statements?: readonly DataAwsIamPolicyDocumentStatement[];
  /**
   * Managed policies to attach.
   * @default - none
   */
  readonly managedPolicyArns?: readonly string[];
}

/** Everything {@link HelmAddon} needs: the caller's props plus what the add-on itself decides. */
export interface HelmAddonConfig extends HelmAddonProps, HelmReleaseOptions {
  /** The add-on's pinned chart. */
  readonly defaults: HelmChartDefaults;
  /**
   * Typed values the add-on builds in code, merged before the caller's `values`.
   * @default - none
   */
  readonly chartValues?: Record<string, unknown>;
  /**
   * IRSA for the chart's service account.
   * @default - no IAM role
   */
  readonly irsa?: HelmAddonIrsa;
  /**
   * Install with Helm even where the scope delivers add-ons through the GitOps bridge: Argo CD itself, which is what
   * installs the others.
   * @default false
   */
  readonly alwaysHelm?: boolean;
}

/** The annotation EKS Pod Identity Webhook reads to give a pod the role's credentials. */
export const IRSA_ROLE_ANNOTATION = "eks.amazonaws.com/role-arn";

/**
 * One `helm_release` built the same way for every add-on: pinned chart, typed values, IRSA hook,
 * caller overrides merged last and rendered as one YAML document, ordering through references.
 * Add-ons compose it (`new HelmAddon(this, "Helm", …)`, so the release is `<AddOn>/Helm/Release`) after creating what their values refer to.
 */
export class HelmAddon extends Construct implements ITerraformDependable {
  /** The Helm release; absent where the add-on is delivered through the GitOps bridge (see {@link gitOps}). */
  public readonly release?: Release;
  /**
   * Where the scope delivers add-ons through the GitOps bridge (`GitOpsCatalog`): Terraform keeps only a record of the
   * chart and version (`terraform_data`, so what depends on the add-on still can) and Argo CD installs the chart.
   */
  public readonly gitOps?: DataResource;
  public readonly chart: string;
  public readonly repository: string;
  public readonly version: string;
  public readonly namespace: string;
  public readonly releaseName: string;
  public readonly createNamespace: boolean;
  public readonly atomic: boolean;
  public readonly wait: boolean;
  public readonly timeoutSeconds: number;
  public readonly cleanupOnFail: boolean;
  public readonly maxHistory: number;
  /** The values exactly as rendered into the release (after every merge). */
  public readonly values: Readonly<Record<string, unknown>>;
  /** The single YAML document passed to Helm. */
  public readonly valuesYaml: string;
  /** The IRSA role, when the add-on asked for one. */
  public readonly irsaRole?: IrsaRole;
  /** The CRDs the chart installs (`HelmChartDefaults.crds`), for the custom resources that name this add-on. */
  public readonly crds: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, config: HelmAddonConfig) {
    super(scope, id);
    requireProps(this, config, { defaults: "the chart's HelmChartDefaults", cluster: "an ICluster (EksCluster or EksCluster.fromClusterAttributes())" });
    this.chart = config.defaults.chart;
    this.repository = config.defaults.repository;
    this.version = config.version ?? config.defaults.version;
    this.namespace = config.namespace ?? config.defaults.namespace;
    this.releaseName = config.defaults.releaseName;
    this.crds = config.defaults.crds ?? {};
    this.createNamespace = config.createNamespace ?? true;
    this.atomic = config.atomic ?? true;
    this.wait = config.wait ?? true;
    this.timeoutSeconds = config.timeoutSeconds ?? 600;
    this.cleanupOnFail = config.cleanupOnFail ?? true;
    this.maxHistory = config.maxHistory ?? 10;
    throwIfProblems(this.node.path, validateHelmAddonConfig(config));

    let irsaValues: PlainObject | undefined;
    if (config.irsa) {
      this.irsaRole = new IrsaRole(this, "Irsa", {
        cluster: config.cluster,
        namespace: this.namespace,
        serviceAccount: config.irsa.serviceAccountName,
        statements: config.irsa.statements,
        managedPolicyArns: config.irsa.managedPolicyArns,
      });
      irsaValues = deepMerge(
        atPath(config.irsa.namePath, config.irsa.serviceAccountName),
        atPath(config.irsa.annotationsPath, { [IRSA_ROLE_ANNOTATION]: this.irsaRole.roleArn }),
      );
    }

    this.values = deepMerge(config.chartValues ?? {}, irsaValues, config.values);
    if (config.irsa && this.irsaRole) {
      throwIfProblems(this.node.path, checkIrsaNotOverridden(config.irsa, this.irsaRole.roleArn, this.values));
    }
    this.valuesYaml = renderValues(this.values);

    // The role's policy attachments are not referenced by any value, so without this the pods could
    // start (and crash-loop until `atomic` rolls back) before their permissions exist.
    const irsaResources = this.irsaRole ? this.irsaRole.node.findAll().filter((c): c is TerraformResource => c instanceof TerraformResource) : [];
    const dependsOn = [...(config.dependsOn ?? []), ...irsaResources];

    const sensitive = Object.entries(config.sensitiveValues ?? {}).map(([name, value]) => ({ name, value }));
    const catalog = config.alwaysHelm ? undefined : GitOpsCatalog.of(this);
    if (catalog) {
      if (sensitive.length > 0) {
        throwIfProblems(this.node.path, [{ path: "sensitiveValues", value: Object.keys(config.sensitiveValues ?? {}), allowed: "none where add-ons are delivered through Git: put the secret in a Secret (external-secrets) and point the chart at it" }]);
      }
      const bridged = bridgeValues(this.releaseName, this.values, (v) => Token.isUnresolved(v));
      const annotations: Record<string, string> = { ...bridged.annotations, [annotationKey([this.releaseName, "namespace"])]: this.namespace };
      if (config.irsa) annotations[annotationKey([this.releaseName, "service_account"])] = config.irsa.serviceAccountName;
      catalog.add({
        path: this.node.path,
        releaseName: this.releaseName,
        chart: this.chart,
        repository: this.repository,
        version: this.version,
        namespace: this.namespace,
        values: bridged.values,
        valuesYaml: renderValues(bridged.values),
        annotations,
        helmValues: this.values,
      });
      // A record of what Argo CD installs: a chart bump shows in the plan, and what depends on the add-on waits for its IAM.
      this.gitOps = new DataResource(this, "GitOps", {
        input: { chart: this.chart, repository: this.repository, version: this.version, namespace: this.namespace, delivery: "gitops" },
        dependsOn: dependsOn.length > 0 ? dependsOn : undefined,
      });
      return;
    }
    this.release = new Release(this, "Release", {
      provider: config.access?.helmProvider,
      name: this.releaseName,
      chart: this.chart,
      repository: this.repository,
      version: this.version,
      namespace: this.namespace,
      createNamespace: this.createNamespace,
      atomic: this.atomic,
      wait: this.wait,
      timeout: this.timeoutSeconds,
      cleanupOnFail: this.cleanupOnFail,
      maxHistory: this.maxHistory,
      // Terraform would read a literal `${…}` (the collector's `${env:MY_POD_IP}`) as its own interpolation.
      values: [escapeTerraformTemplates(this.valuesYaml)],
      setSensitive: sensitive.length > 0 ? sensitive : undefined,
      dependsOn: dependsOn.length > 0 ? dependsOn : undefined,
    });
  }

  /** The release's address, so other resources and add-ons can depend on this add-on. */
  public get fqn(): string {
    return (this.release ?? this.gitOps)!.fqn;
  }
}

/** Renders values as one YAML document; no line folding, so embedded cdktf tokens stay intact. */
export function renderValues(values: Readonly<Record<string, unknown>>): string {
  return stringify(values, { lineWidth: 0, minContentWidth: 0 });
}

/**
 * A values document as Terraform must be given it: Terraform reads every `${…}` and `%{…}` in a string as its own
 * template syntax, so the literal ones (a collector's `${env:MY_POD_IP}`) are escaped (`$${`, `%%{`) and reach Helm
 * verbatim; cdktf's tokens (`${TfToken[…]}`, references Terraform resolves) are left as they are.
 * @see https://developer.hashicorp.com/terraform/language/expressions/strings#escape-sequences
 */
export function escapeTerraformTemplates(text: string): string {
  // Replacement functions: in a replacement string `$$` would itself mean one `$`.
  return text.replace(/\$\{(?!TfToken\[)/g, () => "$${").replace(/%\{/g, () => "%%{");
}

/** `["a", "b"], v` → `{ a: { b: v } }`. */
export function atPath(path: readonly string[], value: unknown): PlainObject {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as PlainObject;
}

function valueAt(values: Readonly<Record<string, unknown>>, path: readonly string[]): unknown {
  let current: unknown = values;
  for (const key of path) {
    if (!isPlainObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** An exact chart version: `1.2.3`, optional `v`, pre-release and build parts. */
const EXACT_SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

/** True when `version` pins one chart version (not a range such as `^1.2`, `~1.2.3`, `1.x` or `latest`). */
export function isExactVersion(version: string): boolean {
  return EXACT_SEMVER.test(version);
}

/** Checks a {@link HelmAddonConfig} without building anything. */
export function validateHelmAddonConfig(config: HelmAddonConfig): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const version = config.version ?? config.defaults.version;
  if (!isUnresolved(version) && !isExactVersion(version)) {
    problems.push({ path: "version", value: version, allowed: "an exact chart version such as 1.2.3 (no range, no 'latest')" });
  }
  const namespace = config.namespace ?? config.defaults.namespace;
  if (!isUnresolved(namespace) && !isDnsLabel(namespace)) {
    problems.push({ path: "namespace", value: namespace, allowed: "a Kubernetes namespace name (RFC 1123 label, at most 63 characters)" });
  }
  const releaseName = config.defaults.releaseName;
  if (!isDnsLabel(releaseName) || releaseName.length > 53) {
    problems.push({ path: "defaults.releaseName", value: releaseName, allowed: "a Helm release name (RFC 1123 label, at most 53 characters)" });
  }
  if (!/^(https|oci):\/\/[^\s]+$/.test(config.defaults.repository)) {
    problems.push({ path: "defaults.repository", value: config.defaults.repository, allowed: "an https:// or oci:// repository" });
  }
  if (config.timeoutSeconds !== undefined && (!Number.isInteger(config.timeoutSeconds) || config.timeoutSeconds < 1)) {
    problems.push({ path: "timeoutSeconds", value: config.timeoutSeconds, allowed: "a whole number of seconds, at least 1" });
  }
  if (config.maxHistory !== undefined && (!Number.isInteger(config.maxHistory) || config.maxHistory < 1)) {
    problems.push({ path: "maxHistory", value: config.maxHistory, allowed: "a whole number of revisions, at least 1" });
  }
  for (const path of Object.keys(config.sensitiveValues ?? {})) {
    if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(path)) {
      problems.push({ path: `sensitiveValues["${path}"]`, value: path, allowed: "a dotted chart value path such as a.b.c" });
    }
  }
  problems.push(...checkAccessMatchesCluster(config.access, config.cluster));
  if (config.values !== undefined && !isPlainObject(config.values)) {
    problems.push({ path: "values", value: config.values, allowed: "a plain object of chart values" });
  }
  return problems;
}

/** The role trusts exactly one service account: a caller override that renames it would break IRSA silently. */
function checkIrsaNotOverridden(irsa: HelmAddonIrsa, roleArn: string, values: Readonly<Record<string, unknown>>): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const name = valueAt(values, irsa.namePath);
  if (name !== irsa.serviceAccountName) {
    problems.push({
      path: `values.${irsa.namePath.join(".")}`,
      value: name,
      allowed: `${JSON.stringify(irsa.serviceAccountName)} (the IRSA role trusts only that service account)`,
    });
  }
  const annotation = valueAt(values, [...irsa.annotationsPath, IRSA_ROLE_ANNOTATION]);
  if (annotation !== roleArn) {
    problems.push({
      path: `values.${irsa.annotationsPath.join(".")}["${IRSA_ROLE_ANNOTATION}"]`,
      value: annotation,
      allowed: "the add-on's own IRSA role (set by the add-on, not overridable)",
    });
  }
  return problems;
}
