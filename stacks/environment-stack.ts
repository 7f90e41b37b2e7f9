import { Construct } from "constructs";
import { S3Backend, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { EnvironmentConfig } from "../lib/config/environment-schema";

export { LAYERS } from "../lib/platform/layers";
export type { Layer } from "../lib/platform/layers";
import type { Layer } from "../lib/platform/layers";

/** Terraform version the stacks need: the S3 backend's native lock file (`use_lockfile`) arrived in 1.10. */
export const REQUIRED_TERRAFORM_VERSION = ">= 1.10.0";

/** `<env>-<layer>`: the stack name, its cdktf.out folder and its state key. */
export function stackName(env: string, layer: Layer): string {
  return `${env}-${layer}`;
}

/**
 * Base of every stack of an environment: its own state object in the environment's own S3 bucket,
 * encrypted with the environment's own KMS key, locked, and reached only by assuming the environment's
 * deploy role (refused for any other account), so a CI role of another environment can neither read
 * nor rewrite this state; and an AWS provider pinned to the environment's account and region that tags
 * every resource. Subclasses add providers and constructs; they never branch on the environment's name.
 */
export class EnvironmentStack extends TerraformStack {
  public readonly config: EnvironmentConfig;
  public readonly layer: Layer;
  public readonly awsProvider: AwsProvider;
  private readonly regionProviders = new Map<string, AwsProvider>();
  /** State object key, `<keyPrefix>/<env>-<layer>.tfstate`. */
  public readonly stateKey: string;

  constructor(scope: Construct, config: EnvironmentConfig, layer: Layer) {
    const name = stackName(config.name, layer);
    super(scope, name);
    this.config = config;
    this.layer = layer;
    this.stateKey = `${config.backend.keyPrefix}/${name}.tfstate`;

    new S3Backend(this, {
      bucket: config.backend.bucket,
      key: this.stateKey,
      region: config.backend.region,
      encrypt: true,
      kmsKeyId: config.backend.kmsKeyId,
      dynamodbTable: config.backend.locking === "dynamodb" ? config.backend.dynamodbTable : undefined,
      // The remote-state reads cdktf generates for cross-stack references copy these settings, so they
      // too assume the deploy role and refuse another account's bucket.
      assumeRole: { roleArn: config.iam.deployRoleArn, sessionName: `terraform-${name}` },
      allowedAccountIds: [config.account],
    });
    this.addOverride("terraform.required_version", REQUIRED_TERRAFORM_VERSION);
    if (config.backend.locking === "s3-lockfile") {
      // S3 native state locking (Terraform >= 1.10); cdktf 0.21's S3Backend has no field for it yet.
      this.addOverride("terraform.backend.s3.use_lockfile", true);
    }

    this.awsProvider = new AwsProvider(this, "aws", {
      region: config.region,
      allowedAccountIds: [config.account],
      defaultTags: [{ tags: { ...config.tags, Layer: layer } }],
    });
  }

  /**
   * The AWS provider of a region: the default one for the environment's own region, else one aliased by the region's
   * name (made once), pinned to the same account and tagging alike. What a stack keeps out of its region (a bucket's
   * replica, a backup vault's copy) is created with it.
   */
  public providerIn(region: string): AwsProvider {
    if (region === this.config.region) return this.awsProvider;
    let provider = this.regionProviders.get(region);
    if (!provider) {
      provider = new AwsProvider(this, `aws-${region}`, {
        alias: region,
        region,
        allowedAccountIds: [this.config.account],
        defaultTags: [{ tags: { ...this.config.tags, Layer: this.layer } }],
      });
      this.regionProviders.set(region, provider);
    }
    return provider;
  }
}
