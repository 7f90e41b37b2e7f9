import { dev } from "../../../environments/dev";
import { prod } from "../../../environments/prod";
import { stateBucketPolicy } from "../../../lib/config/state-bucket-policy";

type Statement = Record<string, any>;
const bySid = (env: typeof dev) => Object.fromEntries(stateBucketPolicy(env).Statement.map((s) => [s.Sid, s as Statement]));

describe("stateBucketPolicy", () => {
  test("denies every object outside the environment's own key prefix", () => {
    const s = bySid(prod).DenyObjectsOutsideThisEnvironmentsPrefix!;
    expect(s.Effect).toBe("Deny");
    expect(s.NotResource).toEqual([`arn:aws:s3:::${prod.backend.bucket}/${prod.backend.keyPrefix}/*`]);
    expect(s.Action).toEqual(expect.arrayContaining(["s3:GetObject", "s3:PutObject"]));
  });

  test("lets only the environment's deploy and break-glass roles read or write its state", () => {
    const s = bySid(prod).DenyStateToAnyoneButDeployAndBreakGlass!;
    expect(s.Condition).toEqual({ ArnNotEquals: { "aws:PrincipalArn": [prod.iam.deployRoleArn, prod.iam.breakGlassRoleArn] } });
    // dev's deploy role is never among them: a dev CI role cannot rewrite prod's state.
    expect(JSON.stringify(stateBucketPolicy(prod))).not.toContain(dev.account);
  });

  test("refuses state objects not encrypted with the environment's key, and plain HTTP", () => {
    const s = bySid(dev);
    expect(s.DenyStateNotEncryptedWithTheEnvironmentsKey!.Condition).toEqual({ StringNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": dev.backend.kmsKeyId } });
    expect(s.DenyInsecureTransport!.Condition).toEqual({ Bool: { "aws:SecureTransport": "false" } });
  });
});
