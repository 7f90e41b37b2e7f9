import { Construct } from "constructs";
import { LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsIamSessionContext } from "@cdktf/provider-aws/lib/data-aws-iam-session-context";
import { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import type { EnvironmentConfig } from "../lib/config/environment-schema";
import { stateBucketPolicy } from "../lib/config/state-bucket-policy";
import {
  accountRoot, breakGlassRolePolicy, deployRolePolicy, keyAdminRolePolicy, PERSON_SESSION_SECONDS, POWER_USER_POLICY, roleTrustPolicy,
} from "../lib/config/bootstrap-policies";
import { parseArn } from "../lib/aws/arns";
import { BREAK_GLASS_ONLY_ACTIONS, KEY_ADMIN_ACTIONS, KmsKey } from "../constructs/common/kms-key";
import { SecureBucket } from "../constructs/storage/secure-bucket";
import { REQUIRED_TERRAFORM_VERSION } from "./environment-stack";

/** `<env>-bootstrap`: the stack name and its cdktf.out folder. */
export function bootstrapStackName(env: string): string {
  return `${env}-bootstrap`;
}

/**
 * Where the bootstrap keeps its state, relative to the stack's folder (`cdktf.out/stacks/<env>-bootstrap`): beside
 * `cdktf.out`, in `terraform-bootstrap/<env>.tfstate`, so a new synth (which replaces `cdktf.out`) never loses it.
 */
export function bootstrapStatePath(env: string): string {
  return `../../../terraform-bootstrap/${env}.tfstate`;
}

/** Props of {@link BootstrapStack}. */
export interface BootstrapStackProps {
  /**
   * Who may assume the deploy role (CI's identity): role or user ARNs, or the account root.
   * @default - the environment's account (`arn:aws:iam::<account>:root`): any principal of the account whose own IAM
   *   policy allows `sts:AssumeRole` on the role, as `cdk bootstrap` trusts its account
   */
  readonly deployRoleTrustedPrincipals?: readonly string[];
  /**
   * Who may assume the break-glass and key-admin roles (people), always with MFA.
   * @default - the environment's account, with MFA
   */
  readonly personRoleTrustedPrincipals?: readonly string[];
}

/**
 * What an environment needs before its first `cdktf deploy`, as `cdk bootstrap` makes it for CDK: the state key (KMS,
 * yearly rotation; administered by the key-admin role and by whoever runs the bootstrap, used only through S3, deleted
 * or re-policied by break-glass alone), the state bucket (versioned, encrypted with that key, public access blocked,
 * owner-enforced, TLS 1.2+ only, `stateBucketPolicy`, server access logs into a bucket of its own) and the deploy,
 * break-glass and key-admin roles. Run once per environment with administrator credentials of its account; its own
 * state is local ({@link bootstrapStatePath}), since the bucket it would live in is what it creates.
 */
export class BootstrapStack extends TerraformStack {
  public readonly config: EnvironmentConfig;
  public readonly stateKey: KmsKey;
  public readonly stateBucket: SecureBucket;
  public readonly accessLogsBucket: SecureBucket;
  public readonly deployRole: IamRole;
  public readonly breakGlassRole: IamRole;
  public readonly keyAdminRole: IamRole;
  /** Resolved trust of the deploy role. */
  public readonly deployRoleTrustedPrincipals: readonly string[];
  /** Resolved trust of the break-glass and key-admin roles. */
  public readonly personRoleTrustedPrincipals: readonly string[];

  constructor(scope: Construct, config: EnvironmentConfig, props: BootstrapStackProps = {}) {
    const name = bootstrapStackName(config.name);
    super(scope, name);
    this.config = config;
    this.deployRoleTrustedPrincipals = [...(props.deployRoleTrustedPrincipals ?? [accountRoot(config)])];
    this.personRoleTrustedPrincipals = [...(props.personRoleTrustedPrincipals ?? [accountRoot(config)])];

    new LocalBackend(this, { path: bootstrapStatePath(config.name) });
    this.addOverride("terraform.required_version", REQUIRED_TERRAFORM_VERSION);
    // Administrator credentials of the environment's account, never the deploy role (it does not exist yet).
    new AwsProvider(this, "aws", {
      region: config.backend.region,
      allowedAccountIds: [config.account],
      defaultTags: [{ tags: { ...config.tags, Layer: "bootstrap" } }],
    });

    // Whoever runs the bootstrap administers the state key with the key-admin role, so the key can be created,
    // aliased and read back on the next run (as a role, not the session: aws_iam_session_context).
    const caller = new DataAwsCallerIdentity(this, "Caller");
    const runner = new DataAwsIamSessionContext(this, "Runner", { arn: caller.arn });
    this.stateKey = new KmsKey(this, "StateKey", {
      description: `Terraform state of environment ${config.name}`,
      alias: `sre-platform/${config.name}/terraform-state`,
      administration: { adminRoleArns: [config.iam.keyAdminRoleArn, runner.issuerArn], breakGlassRoleArn: config.iam.breakGlassRoleArn },
      viaServices: ["s3"],
      preventDestroy: true,
    });

    this.accessLogsBucket = new SecureBucket(this, "StateAccessLogs", {
      bucketName: `${config.backend.bucket}-access-logs`.slice(0, 63).replace(/[.-]+$/, ""),
      accessLogsTarget: true,
      preventDestroy: true,
    });
    // The key made here is the one state must be written with (backend.kmsKeyId names it once it exists).
    const statePolicy = stateBucketPolicy({ ...config, backend: { ...config.backend, kmsKeyId: this.stateKey.keyArn } });
    this.stateBucket = new SecureBucket(this, "StateBucket", {
      bucketName: config.backend.bucket,
      encryptionKey: this.stateKey,
      accessLogsBucket: this.accessLogsBucket,
      noncurrentVersionExpirationDays: config.storage.noncurrentVersionExpirationDays,
      // Versions of the state are its history; nothing else lives here.
      intelligentTiering: false,
      preventDestroy: true,
      // SecureBucket denies plain HTTP itself (and TLS below 1.2); the rest is the generated policy, statement by statement.
      extraPolicyStatements: statePolicy.Statement.filter((s) => s["Sid"] !== "DenyInsecureTransport").map(toPolicyDocumentStatement),
    });

    const personTrust = JSON.stringify(roleTrustPolicy(this.personRoleTrustedPrincipals, true));
    this.deployRole = this.role("DeployRole", config.iam.deployRoleArn, JSON.stringify(roleTrustPolicy(this.deployRoleTrustedPrincipals, false)), {
      description: `CI deploys environment ${config.name} as this role: its state, its stacks, cluster-admin of its cluster`,
      policy: JSON.stringify(deployRolePolicy(config, this.stateKey.keyArn)),
      powerUser: true,
    });
    this.breakGlassRole = this.role("BreakGlassRole", config.iam.breakGlassRoleArn, personTrust, {
      description: `Emergencies in environment ${config.name}: cluster-admin, the only principal that deletes or re-policies its keys`,
      policy: JSON.stringify(breakGlassRolePolicy(config)),
      powerUser: true,
      maxSessionDuration: PERSON_SESSION_SECONDS,
    });
    this.keyAdminRole = this.role("KeyAdminRole", config.iam.keyAdminRoleArn, personTrust, {
      description: `Administers the keys of environment ${config.name}, never uses them`,
      policy: JSON.stringify(keyAdminRolePolicy(config, KEY_ADMIN_ACTIONS, BREAK_GLASS_ONLY_ACTIONS)),
      powerUser: false,
      maxSessionDuration: PERSON_SESSION_SECONDS,
    });

    new TerraformOutput(this, "state_kms_key_arn", { value: this.stateKey.keyArn, description: "backend.kmsKeyId of environments/<env>.ts" });
    new TerraformOutput(this, "state_bucket", { value: this.stateBucket.bucketId });
  }

  private role(id: string, arn: string, trust: string, opts: { description: string; policy: string; powerUser: boolean; maxSessionDuration?: number }): IamRole {
    const resource = parseArn(arn)?.resource ?? "";
    const slash = resource.lastIndexOf("/");
    const role = new IamRole(this, id, {
      name: resource.slice(slash + 1),
      path: resource.slice("role".length, slash + 1),
      description: opts.description,
      assumeRolePolicy: trust,
      maxSessionDuration: opts.maxSessionDuration,
      lifecycle: { preventDestroy: true },
    });
    new IamRolePolicy(this, `${id}Policy`, { role: role.name, name: "sre-platform-bootstrap", policy: opts.policy });
    if (opts.powerUser) {
      new IamRolePolicyAttachment(this, `${id}PowerUser`, { role: role.name, policyArn: `arn:${parseArn(arn)?.partition ?? "aws"}:iam::aws:policy/${POWER_USER_POLICY}` });
    }
    return role;
  }
}

/** One statement of an IAM JSON document as the aws_iam_policy_document data source's block. */
function toPolicyDocumentStatement(s: Record<string, unknown>): DataAwsIamPolicyDocumentStatement {
  const list = (v: unknown): string[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? v.map(String) : [String(v)]);
  const principal = s["Principal"];
  if (principal !== undefined && principal !== "*") throw new Error(`statement ${String(s["Sid"])}: only the principal "*" is converted`);
  const conditions = Object.entries((s["Condition"] ?? {}) as Record<string, Record<string, unknown>>).flatMap(([test, byVariable]) =>
    Object.entries(byVariable).map(([variable, values]) => ({ test, variable, values: list(values)! })),
  );
  return {
    sid: s["Sid"] as string,
    effect: s["Effect"] as string,
    principals: principal === "*" ? [{ type: "*", identifiers: ["*"] }] : undefined,
    actions: list(s["Action"]),
    resources: list(s["Resource"]),
    notResources: list(s["NotResource"]),
    condition: conditions.length > 0 ? conditions : undefined,
  };
}
