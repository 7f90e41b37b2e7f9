import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import type { IClusterSecretStore } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ClusterSecretStore";
import type { IExternalSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret";
import type { IClusterAccess } from "../../cluster/cluster-access";
import { CustomResource } from "../../kubernetes/custom-resource";
import { throwIfProblems, ValidationProblem, requireProps } from "../../common/validation";
import { isDnsLabel, isDnsSubdomain } from "../../../lib/kubernetes/names";
import { isUnderPrefix } from "../../../lib/aws/secrets-manager";
import type { ExternalSecrets } from "./external-secrets";

/** Props of {@link SecretsManagerStore}. */
export interface SecretsManagerStoreProps {
  /** The operator (in an earlier stack): its CRDs, its IRSA role and the prefix that role may read. */
  readonly externalSecrets: ExternalSecrets;
  /** Namespaces whose ExternalSecrets may use the store; no other namespace can read the environment's secrets. */
  readonly namespaces: readonly string[];
  /** @default "aws-secrets-manager" */
  readonly name?: string;
  /** Region of the secrets. @default - the cluster's region (from its ARN) */
  readonly region?: string;
  /** @default - the stack's default Kubernetes provider */
  readonly access?: IClusterAccess;
}

/**
 * A ClusterSecretStore for AWS Secrets Manager in the cluster's region, authenticated as the operator's IRSA role
 * (so it reads only the environment's prefix) and usable only from the namespaces named.
 */
export class SecretsManagerStore extends Construct implements ITerraformDependable {
  public readonly store: CustomResource<IClusterSecretStore>;
  public readonly storeName: string;
  public readonly namespaces: readonly string[];
  public readonly externalSecrets: ExternalSecrets;
  public readonly access?: IClusterAccess;

  constructor(scope: Construct, id: string, props: SecretsManagerStoreProps) {
    super(scope, id);
    requireProps(this, props, { externalSecrets: "the ExternalSecrets add-on (its CRDs and IRSA role)", namespaces: "the namespaces that may use the store" });
    this.storeName = props.name ?? "aws-secrets-manager";
    this.namespaces = props.namespaces;
    this.externalSecrets = props.externalSecrets;
    this.access = props.access;
    const problems: ValidationProblem[] = [];
    if (!isDnsSubdomain(this.storeName)) problems.push({ path: "name", value: this.storeName, allowed: "a Kubernetes object name" });
    if (props.namespaces.length === 0) problems.push({ path: "namespaces", value: [], allowed: "at least one namespace (a store no namespace may use is a mistake)" });
    props.namespaces.forEach((n, i) => {
      if (!isDnsLabel(n)) problems.push({ path: `namespaces[${i}]`, value: n, allowed: "a namespace name" });
    });
    throwIfProblems(this.node.path, problems);

    this.store = new CustomResource<IClusterSecretStore>(this, "Store", {
      installedBy: props.externalSecrets,
      access: props.access,
      manifest: {
        apiVersion: "external-secrets.io/v1",
        kind: "ClusterSecretStore",
        metadata: { name: this.storeName },
        spec: {
          // No `auth`: the controller's own (IRSA) credentials, scoped to the environment's prefix.
          provider: { aws: { service: "SecretsManager", region: props.region ?? props.externalSecrets.region } },
          conditions: [{ namespaces: [...props.namespaces] }],
        },
      },
      waitForConditions: [{ type: "Ready", status: "True" }],
    });
  }

  public get fqn(): string {
    return this.store.fqn;
  }
}

/** Props of {@link SyncedSecret}. */
export interface SyncedSecretProps {
  readonly store: SecretsManagerStore;
  /** Namespace of the Kubernetes Secret (one the store allows). */
  readonly namespace: string;
  /** Name of the Kubernetes Secret created and kept in sync. */
  readonly secretName: string;
  /** Secrets Manager secret, under the store's prefix; its JSON properties become the Secret's keys. */
  readonly remoteKey: string;
  /** @default "1h" */
  readonly refreshInterval?: string;
  /** What the ExternalSecret waits for besides the store, e.g. its namespace. @default - the store only */
  readonly dependsOn?: ITerraformDependable[];
  /**
   * Labels of the ExternalSecret, which the operator copies to the Secret (Argo CD reads only Secrets labelled
   * `app.kubernetes.io/part-of: argocd`).
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * `Owner`: the operator creates the Secret and owns it. `Merge`: the keys are merged into a Secret something else
   * made (a chart's `argocd-secret`), and the operator waits until it exists.
   * @default "Owner"
   */
  readonly creationPolicy?: "Owner" | "Merge";
}

/**
 * An ExternalSecret: a Kubernetes Secret filled from one Secrets Manager secret (every JSON property a key). Terraform
 * sees only names; the values go from Secrets Manager to the cluster. Applying waits until the Secret exists.
 */
export class SyncedSecret extends Construct implements ITerraformDependable {
  public readonly externalSecret: CustomResource<IExternalSecret>;
  public readonly secretName: string;

  constructor(scope: Construct, id: string, props: SyncedSecretProps) {
    super(scope, id);
    requireProps(this, props, { store: "the SecretsManagerStore to read through", namespace: "the namespace of the Secret", secretName: "the name of the Secret to create", remoteKey: "the Secrets Manager secret under the store's prefix" });
    this.secretName = props.secretName;
    const prefix = props.store.externalSecrets.secretsManagerPrefix;
    const problems: ValidationProblem[] = [];
    if (!props.store.namespaces.includes(props.namespace)) {
      problems.push({ path: "namespace", value: props.namespace, allowed: `a namespace the store allows: ${props.store.namespaces.join(", ")}` });
    }
    if (!isDnsSubdomain(props.secretName)) problems.push({ path: "secretName", value: props.secretName, allowed: "a Secret name" });
    if (!isUnderPrefix(props.remoteKey, prefix)) {
      problems.push({ path: "remoteKey", value: props.remoteKey, allowed: `a secret under ${prefix}/ (the only path the operator may read)` });
    }
    throwIfProblems(this.node.path, problems);

    this.externalSecret = new CustomResource<IExternalSecret>(this, "ExternalSecret", {
      installedBy: props.store.externalSecrets,
      access: props.store.access,
      manifest: {
        apiVersion: "external-secrets.io/v1",
        kind: "ExternalSecret",
        metadata: { name: props.secretName, namespace: props.namespace, ...(props.labels ? { labels: { ...props.labels } } : {}) },
        spec: {
          refreshInterval: props.refreshInterval ?? "1h",
          secretStoreRef: { kind: "ClusterSecretStore", name: props.store.storeName },
          // Owner: the Secret goes with the ExternalSecret. Retain: a secret deleted in Secrets Manager by mistake
          // does not empty the Secret (and page no one) until someone restores it.
          target: { name: props.secretName, creationPolicy: props.creationPolicy ?? "Owner", deletionPolicy: "Retain" },
          dataFrom: [{ extract: { key: props.remoteKey } }],
        },
      },
      waitForConditions: [{ type: "Ready", status: "True" }],
      dependsOn: [props.store, ...(props.dependsOn ?? [])],
    });
  }

  public get fqn(): string {
    return this.externalSecret.fqn;
  }
}
