import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { EbsDefaultEncryption } from "../../../constructs/cluster/ebs-default-encryption";

describe("EbsDefaultEncryption", () => {
  const stack = new TerraformStack(Testing.app(), "test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  new EbsDefaultEncryption(stack, "Ebs", { kmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/abc" });
  const parsed = JSON.parse(Testing.synth(stack));

  test("encrypts every new volume of the account and region with the given customer key (FSBP EC2.7)", () => {
    const [byDefault] = Object.values(parsed.resource.aws_ebs_encryption_by_default) as any[];
    const [key] = Object.values(parsed.resource.aws_ebs_default_kms_key) as any[];
    expect(byDefault.enabled).toBe(true);
    expect(key.key_arn).toBe("arn:aws:kms:eu-west-1:111122223333:key/abc");
  });

  test("sets the key before turning encryption on, so no volume falls back to aws/ebs", () => {
    const [byDefault] = Object.values(parsed.resource.aws_ebs_encryption_by_default) as any[];
    expect(byDefault.depends_on).toEqual([expect.stringMatching(/^aws_ebs_default_kms_key\./)]);
  });
});
