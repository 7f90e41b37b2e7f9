import { Construct, IConstruct } from "constructs";
import { ITerraformDependable, TerraformStack } from "cdktf";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import type { IClusterAccess } from "../cluster/cluster-access";
import { isUnresolved, throwIfProblems, ValidationProblem, requireProps } from "../common/validation";
import { crdKey, crdSchemaProblems, KubernetesObjectLike } from "../../lib/kubernetes/crd-schemas";
import { isDnsSubdomain } from "../../lib/kubernetes/names";

/**
 * What installs a CRD: a Helm add-on (or an add-on wrapping one) in an earlier stack, declaring the kinds its chart
 * installs and the schema each is validated against (`HelmChartDefaults.crds`).
 */
export type ICrdInstaller = IConstruct & ITerraformDependable & { readonly crds: Readonly<Record<string, string>> };

/** A status condition Terraform waits for after applying the object, e.g. `Ready=True`. */
export interface CustomResourceWaitCondition {
  readonly type: string;
  readonly status: "True" | "False" | "Unknown";
}

/** Props of {@link CustomResource}. */
export interface CustomResourceProps<T extends KubernetesObjectLike = KubernetesObjectLike> {
  /**
   * The object, typed with its `@kubernetes-models/*` interface where one exists (`INodePool`, `IPrometheusRule`, …).
   * It is validated against the CRD schema in `schemas/crds/` at synth.
   */
  readonly manifest: T;
  /**
   * The release that installs the CRD (e.g. the Karpenter add-on). It must live in another stack: `kubernetes_manifest`
   * reads the CRD at plan time, so this resource's stack is made to depend on (deploy after) the installer's stack.
   */
  readonly installedBy: ICrdInstaller;
  /**
   * How Terraform reaches the cluster (see `ClusterAccess`): its Kubernetes provider applies the object.
   * @default - the stack's default Kubernetes provider
   */
  readonly access?: IClusterAccess;
  /**
   * Conditions to wait for after apply, so what depends on this resource sees it working (e.g. an ExternalSecret
   * `Ready`, meaning its Secret exists).
   * @default - no wait
   */
  readonly waitForConditions?: readonly CustomResourceWaitCondition[];
  /**
   * Resources of the same stack this one waits for.
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
  /**
   * Fields a controller owns after creation, whose live value Terraform accepts instead of planning a change back
   * (the provider's `computed_fields`; the provider's own defaults, `metadata.labels` and `metadata.annotations`, are
   * kept). E.g. a ChaosEngine's `spec.engineState`, which the schedule turns on and the operator turns off again.
   * @default - the provider's defaults
   */
  readonly computedFields?: readonly string[];
}

/**
 * One custom resource (`kubernetes_manifest`) after its CRD: validated at synth against the CRD's schema (one
 * error naming the construct path and every bad field), refused in the stack that installs the CRD, and ordered
 * after it by a stack dependency, so `cdktf deploy '<env>-*'` plans it only once the CRD exists.
 */
export class CustomResource<T extends KubernetesObjectLike = KubernetesObjectLike> extends Construct implements ITerraformDependable {
  public readonly resource: Manifest;
  /** The object as applied. */
  public readonly manifest: T;
  /** The stack of the release that installs the CRD, which this resource's stack now depends on. */
  public readonly installerStack: TerraformStack;

  constructor(scope: Construct, id: string, props: CustomResourceProps<T>) {
    super(scope, id);
    requireProps(this, props, { manifest: "the Kubernetes object (apiVersion, kind, metadata, spec)", installedBy: "the add-on whose chart installs the CRD" });
    this.manifest = props.manifest;
    const ownStack = TerraformStack.of(this);
    this.installerStack = TerraformStack.of(props.installedBy);
    throwIfProblems(this.node.path, validateCustomResourceProps(props, { sameStack: ownStack === this.installerStack, installerPath: props.installedBy.node.path, installs: props.installedBy.crds }));
    ownStack.addDependency(this.installerStack);

    this.resource = new Manifest(this, "Manifest", {
      provider: props.access?.kubernetesProvider,
      manifest: props.manifest as unknown as Record<string, unknown>,
      wait: props.waitForConditions?.length ? { condition: props.waitForConditions.map((c) => ({ type: c.type, status: c.status })) } : undefined,
      dependsOn: props.dependsOn,
      computedFields: props.computedFields?.length ? [...new Set(["metadata.labels", "metadata.annotations", ...props.computedFields])] : undefined,
    });
  }

  /** The manifest's address, so other resources of the stack can depend on it. */
  public get fqn(): string {
    return this.resource.fqn;
  }
}

/** Checks {@link CustomResourceProps} without building anything; `context` says where the construct would live. */
export function validateCustomResourceProps(
  props: CustomResourceProps,
  context: { readonly sameStack: boolean; readonly installerPath: string; readonly installs: Readonly<Record<string, string>> },
): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const m = props.manifest;
  if (context.sameStack) {
    problems.push({
      path: "installedBy",
      value: context.installerPath,
      allowed: "a release in an earlier stack: kubernetes_manifest needs its CRD at plan time, so a custom resource never shares a stack with the chart that installs the CRD",
    });
  }
  const schemaFile = context.installs[crdKey(m.apiVersion, m.kind)];
  if (schemaFile === undefined) {
    const kinds = Object.keys(context.installs);
    problems.push({
      path: "manifest.apiVersion",
      value: crdKey(m.apiVersion, m.kind),
      allowed: `a kind whose CRD the installer (${context.installerPath}) installs: ${kinds.length > 0 ? kinds.join(", ") : "it declares none"}`,
    });
    return problems;
  }
  const name = m.metadata?.name;
  if (name === undefined || (!isUnresolved(name) && !isDnsSubdomain(name))) {
    problems.push({ path: "manifest.metadata.name", value: name, allowed: "a Kubernetes object name (RFC 1123 subdomain)" });
  }
  const namespace = m.metadata?.namespace;
  if (namespace !== undefined && !isUnresolved(namespace) && !isDnsSubdomain(namespace)) {
    problems.push({ path: "manifest.metadata.namespace", value: namespace, allowed: "a Kubernetes namespace name" });
  }
  problems.push(...crdSchemaProblems(m, schemaFile, { prefix: "manifest", isUnknown: isUnresolved }));
  return problems;
}
