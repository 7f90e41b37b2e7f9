/**
 * `<env>-bootstrap`, read from its synthesized JSON: exactly what the README lists (the state key, the state bucket
 * with the generated policy, the deploy, break-glass and key-admin roles), with a local state, and only when asked.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, Testing } from "cdktf";
import { ENVIRONMENTS, environmentSources, loadEnvironments } from "../../environments";
import type { EnvironmentConfig } from "../../lib/config/environment-schema";
import { stateBucketPolicy } from "../../lib/config/state-bucket-policy";
import { PLATFORM_IAM_ACTIONS } from "../../lib/config/bootstrap-policies";
import { BootstrapStack, bootstrapStackName, bootstrapStatePath } from "../../stacks/bootstrap-stack";
import { LAYERS } from "../../stacks/environment-stack";
import { runSynth } from "../../stacks/synth";

type Json = Record<string, any>;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bootstrap-stack-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function synthesize(config: EnvironmentConfig): Json {
  const app = Testing.app();
  return JSON.parse(Testing.synth(new BootstrapStack(app as App, config))) as Json;
}

const only = (tf: Json, type: string): Json => {
  const found = Object.values(tf.resource?.[type] ?? {}) as Json[];
  expect(found).toHaveLength(1);
  return found[0]!;
};
const byName = (tf: Json, type: string, name: string): Json => tf.resource[type][name] as Json;
/** `${type.key` of the one resource of `type` whose logical id starts with the construct's id (`StateBucket_`). */
const ref = (tf: Json, type: string, construct: string): string => {
  const keys = Object.keys(tf.resource[type] as Record<string, Json>).filter((k) => k.startsWith(`${construct}_`));
  expect(keys).toHaveLength(1);
  return `\${${type}.${keys[0]}`;
};
/** Every statement of every IAM document in the stack: inline JSON policies and policy-document data sources. */
function iamStatements(tf: Json): Json[] {
  const inline = [...Object.values(tf.resource.aws_iam_role as Record<string, Json>).map((r) => r.assume_role_policy), ...Object.values(tf.resource.aws_iam_role_policy as Record<string, Json>).map((p) => p.policy)];
  const documents = Object.values(tf.data.aws_iam_policy_document as Record<string, Json>).flatMap((d) => d.statement as Json[]);
  return [...inline.flatMap((p: string) => (JSON.parse(p) as Json).Statement as Json[]), ...documents];
}
const actionsOf = (s: Json): string[] => [s.Action ?? s.actions ?? []].flat();

describe.each(ENVIRONMENTS.map((c) => [c.name, c] as const))("%s-bootstrap", (env, config) => {
  const tf = synthesize(config);
  const roleOf = (arn: string) => Object.values(tf.resource.aws_iam_role as Record<string, Json>).find((r) => arn.endsWith(`:role${r.path}${r.name}`))!;
  const policyOf = (id: string) => JSON.parse(byName(tf, "aws_iam_role_policy", `${id}Policy`).policy) as Json;
  const statement = (doc: Json, sid: string) => (doc.Statement as Json[]).find((s) => s.Sid === sid)!;

  test("keeps its state locally, beside cdktf.out, and runs as the account's administrator, not the deploy role", () => {
    expect(tf.terraform.backend).toEqual({ local: { path: bootstrapStatePath(env) } });
    expect(bootstrapStatePath(env)).toBe(`../../../terraform-bootstrap/${env}.tfstate`);
    const provider = tf.provider.aws[0] as Json;
    expect(provider.assume_role).toBeUndefined();
    expect(provider.allowed_account_ids).toEqual([config.account]);
    expect(provider.region).toBe(config.backend.region);
  });

  test("the state key rotates, survives destroy, is administered without use and deleted by break-glass alone", () => {
    const key = only(tf, "aws_kms_key");
    expect(key.enable_key_rotation).toBe(true);
    expect(key.lifecycle).toEqual({ prevent_destroy: true });
    const policy = Object.entries(tf.data.aws_iam_policy_document as Record<string, Json>).find(([k]) => k.startsWith("StateKey_"))![1];
    const sid = (s: string) => (policy.statement as Json[]).find((x) => x.sid === s)!;
    expect(sid("KeyAdministrationWithoutUse").principals[0].identifiers).toEqual(expect.arrayContaining([config.iam.keyAdminRoleArn, "${data.aws_iam_session_context.Runner.issuer_arn}"]));
    expect(sid("KeyAdministrationWithoutUse").actions).not.toContain("kms:Decrypt");
    expect(sid("BreakGlassDeletesDisablesAndChangesPolicy").principals[0].identifiers).toEqual([config.iam.breakGlassRoleArn]);
    expect(sid("UseOnlyThroughOwningServicesOfThisAccount").condition).toContainEqual(expect.objectContaining({ variable: "kms:ViaService", values: [expect.stringMatching(/^s3\./)] }));
  });

  test("the state bucket: the configured name, versioned, encrypted with that key, public access blocked, owner-enforced, logged", () => {
    const bucket = byName(tf, "aws_s3_bucket", Object.keys(tf.resource.aws_s3_bucket).find((k) => k.startsWith("StateBucket_"))!);
    expect(bucket.bucket).toBe(config.backend.bucket);
    expect(bucket.lifecycle).toEqual({ prevent_destroy: true });
    const bucketRef = ref(tf, "aws_s3_bucket", "StateBucket");
    const keyArn = `${ref(tf, "aws_kms_key", "StateKey")}.arn}`;
    const forBucket = (type: string) => (Object.values(tf.resource[type]) as Json[]).find((r) => r.bucket === `${bucketRef}.id}`)!;
    expect(forBucket("aws_s3_bucket_versioning").versioning_configuration).toEqual({ status: "Enabled" });
    expect(forBucket("aws_s3_bucket_server_side_encryption_configuration").rule[0].apply_server_side_encryption_by_default).toEqual({ sse_algorithm: "aws:kms", kms_master_key_id: keyArn });
    expect(forBucket("aws_s3_bucket_public_access_block")).toEqual(expect.objectContaining({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true }));
    expect(forBucket("aws_s3_bucket_ownership_controls").rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
    expect(forBucket("aws_s3_bucket_logging").target_bucket).toBe(`${ref(tf, "aws_s3_bucket", "StateAccessLogs")}.id}`);
  });

  test("the state bucket's policy is the generated one, every statement, the key condition naming the key made here", () => {
    const doc = Object.entries(tf.data.aws_iam_policy_document as Record<string, Json>).find(([k]) => k.startsWith("StateBucket_"))![1];
    const sids = (doc.statement as Json[]).map((s) => s.sid);
    for (const s of stateBucketPolicy(config).Statement) expect(sids).toContain(s["Sid"]);
    const objects = (doc.statement as Json[]).find((s) => s.sid === "DenyStateToAnyoneButDeployAndBreakGlass")!;
    expect(objects.condition[0].values).toEqual([config.iam.deployRoleArn, config.iam.breakGlassRoleArn]);
    expect(objects.resources).toEqual([`arn:aws:s3:::${config.backend.bucket}/${config.backend.keyPrefix}/*`]);
    const encryption = (doc.statement as Json[]).find((s) => s.sid === "DenyStateNotEncryptedWithTheEnvironmentsKey")!;
    expect(encryption.condition[0]).toEqual({ test: "StringNotEquals", variable: "s3:x-amz-server-side-encryption-aws-kms-key-id", values: [`${ref(tf, "aws_kms_key", "StateKey")}.arn}`] });
  });

  test("the three roles have the configured names; CI's trusts the account, people's require MFA and one-hour sessions", () => {
    const deploy = roleOf(config.iam.deployRoleArn);
    const trust = (r: Json) => (JSON.parse(r.assume_role_policy) as Json).Statement[0] as Json;
    expect(trust(deploy)).toEqual({ Sid: "Assume", Effect: "Allow", Principal: { AWS: [`arn:aws:iam::${config.account}:root`] }, Action: "sts:AssumeRole" });
    for (const arn of [config.iam.breakGlassRoleArn, config.iam.keyAdminRoleArn]) {
      const role = roleOf(arn);
      expect(trust(role).Condition).toEqual({ Bool: { "aws:MultiFactorAuthPresent": "true" } });
      expect(role.max_session_duration).toBe(3600);
    }
    for (const r of Object.values(tf.resource.aws_iam_role) as Json[]) expect(r.lifecycle).toEqual({ prevent_destroy: true });
  });

  test("the deploy role: its state and key only, the platform's IAM in its account only, never the bootstrap itself", () => {
    const policy = policyOf("DeployRole");
    expect(statement(policy, "ReadAndWriteTheState").Resource).toBe(`arn:aws:s3:::${config.backend.bucket}/${config.backend.keyPrefix}/*`);
    expect(statement(policy, "UseTheStateKey").Resource).toBe(`${ref(tf, "aws_kms_key", "StateKey")}.arn}`);
    expect(statement(policy, "PlatformIamOfThisAccount").Resource.every((r: string) => r.startsWith(`arn:aws:iam::${config.account}:`))).toBe(true);
    expect(statement(policy, "DenyChangesToTheBootstrapRoles").Resource).toEqual([config.iam.deployRoleArn, config.iam.breakGlassRoleArn, config.iam.keyAdminRoleArn]);
    expect(statement(policy, "DenyChangesToTheStateBucketsProtection").Action).toEqual(expect.arrayContaining(["s3:PutBucketPolicy", "s3:DeleteBucket"]));
    const attached = (Object.values(tf.resource.aws_iam_role_policy_attachment) as Json[]).map((a) => [a.role, a.policy_arn]);
    expect(attached).toEqual(
      expect.arrayContaining([[expect.stringContaining("DeployRole.name"), "arn:aws:iam::aws:policy/PowerUserAccess"], [expect.stringContaining("BreakGlassRole.name"), "arn:aws:iam::aws:policy/PowerUserAccess"]]),
    );
    expect(attached).toHaveLength(2);
  });

  test("the key-admin role administers keys and is denied their use, deletion and policy", () => {
    const policy = policyOf("KeyAdminRole");
    expect(statement(policy, "NeverUseDeleteOrRepolicyAKey")).toEqual(
      expect.objectContaining({ Effect: "Deny", Resource: "*", Action: expect.arrayContaining(["kms:Decrypt", "kms:Encrypt", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:CreateGrant"]) }),
    );
    expect(statement(policy, "AdministerKeysOfThisAccount").Resource).toEqual([`arn:aws:kms:${config.region}:${config.account}:key/*`]);
  });

  test("no IAM document grants every action, every IAM action or AdministratorAccess (Checkov CKV_AWS_1/62/274 by hand)", () => {
    for (const s of iamStatements(tf)) {
      if ((s.Effect ?? s.effect) === "Deny") continue;
      expect(actionsOf(s).filter((a) => a === "*" || a === "iam:*" || a === "s3:*" || a === "kms:*")).toEqual([]);
    }
    expect(JSON.stringify(tf)).not.toMatch(/AdministratorAccess/);
    expect(PLATFORM_IAM_ACTIONS.every((a) => /^iam:[A-Z][A-Za-z]+$/.test(a))).toBe(true);
  });
});

describe("synthesized only when asked", () => {
  const [first] = ENVIRONMENTS;
  const source = { load: (names?: readonly string[]) => loadEnvironments(names), names: ENVIRONMENTS.map((e) => e.name), sources: environmentSources() };
  const run = (args: string[], env: NodeJS.ProcessEnv) => {
    const err: string[] = [];
    const spies = [jest.spyOn(process.stdout, "write").mockImplementation(() => true), jest.spyOn(process.stderr, "write").mockImplementation((c: string | Uint8Array) => (err.push(String(c)), true))];
    try {
      return { code: runSynth(args, env, source), stderr: err.join("") };
    } finally {
      for (const s of spies) s.mockRestore();
    }
  };

  test.each<[string, string[], NodeJS.ProcessEnv]>([
    ["--bootstrap", ["--bootstrap"], {}],
    ["SRE_BOOTSTRAP=1", [], { SRE_BOOTSTRAP: "1" }],
  ])("%s adds <env>-bootstrap to the nine layers, which stay as they are", (name, args, env) => {
    const out = path.join(tmp, name.replace(/\W/g, ""));
    expect(run(["--env", first!.name, "--out", out, ...args], env).code).toBe(0);
    const stacks = fs.readdirSync(path.join(out, "stacks")).sort();
    expect(stacks).toEqual([...LAYERS.map((l) => `${first!.name}-${l}`), bootstrapStackName(first!.name)].sort());
  });

  test("an SRE_BOOTSTRAP that is neither on nor off stops the synth, naming it", () => {
    const out = path.join(tmp, "bad-switch");
    const r = run(["--env", first!.name, "--out", out], { SRE_BOOTSTRAP: "yes" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/SRE_BOOTSTRAP: got "yes"; allowed: 1 or true/);
    expect(fs.existsSync(out)).toBe(false);
  });
});
