import { Construct } from "constructs";
import { EbsDefaultKmsKey } from "@cdktf/provider-aws/lib/ebs-default-kms-key";
import { EbsEncryptionByDefault } from "@cdktf/provider-aws/lib/ebs-encryption-by-default";

/** Props of {@link EbsDefaultEncryption}. */
export interface EbsDefaultEncryptionProps {
  /** Customer-managed key new volumes are encrypted with when their creator names none. */
  readonly kmsKeyArn: string;
}

/**
 * Turns on EBS encryption by default for the provider's account and region, with a customer-managed key
 * (AWS FSBP EC2.7). Every new volume is then encrypted, whoever creates it and whatever it asks for: the
 * `gp2` StorageClass EKS creates (no `encrypted` parameter), a chart that names `gp2`, the in-tree
 * provisioner, or a volume made by hand. Both settings are per account and region: create one per
 * environment, never one per cluster of a shared account.
 * @see https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html
 */
export class EbsDefaultEncryption extends Construct {
  public readonly encryptionByDefault: EbsEncryptionByDefault;
  public readonly defaultKey: EbsDefaultKmsKey;

  constructor(scope: Construct, id: string, props: EbsDefaultEncryptionProps) {
    super(scope, id);
    this.defaultKey = new EbsDefaultKmsKey(this, "DefaultKey", { keyArn: props.kmsKeyArn });
    // The key first, so no volume is ever encrypted by default with the AWS-managed aws/ebs key instead.
    this.encryptionByDefault = new EbsEncryptionByDefault(this, "EncryptionByDefault", { enabled: true, dependsOn: [this.defaultKey] });
  }
}
