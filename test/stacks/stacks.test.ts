/**
 * The stacks of every environment, read from the app as `npm run synth` writes it (synthesized once per jest
 * run, test/support/synthesized-app.ts): backends, providers, cross-stack wiring, and the security rules that
 * hold across every stack. Snapshots are in snapshots.test.ts; the named properties in invariants.test.ts.
 */
import { ENVIRONMENTS } from "../../environments";
import { LAYERS } from "../../stacks/environment-stack";
import { synthesizedManifest, synthesizedStack } from "../support/synthesized-app";

type Json = Record<string, any>;

const synth = (id: string): Json => synthesizedStack(id);
const allStacks = ENVIRONMENTS.flatMap((c) => LAYERS.map((l) => `${c.name}-${l}`));

/** Every object of a given resource (or data) type across a synthesized stack. */
function all(tf: Json, kind: "resource" | "data", type: string): Json[] {
  return Object.values(tf[kind]?.[type] ?? {}) as Json[];
}

test("the app has exactly the four layers of every environment", () => {
  expect(Object.keys(synthesizedManifest().stacks).sort()).toEqual([...allStacks].sort());
});

describe.each(ENVIRONMENTS.map((c) => [c.name, c] as const))("%s", (env, config) => {
  const stacks = Object.fromEntries(LAYERS.map((l) => [l, `${env}-${l}`])) as Record<(typeof LAYERS)[number], string>;

  test.each(LAYERS.map((l) => [l]))("%s stack keeps its own encrypted, locked state object", (layer) => {
    const s3 = synth(stacks[layer]).terraform.backend.s3;
    expect(s3).toEqual(
      expect.objectContaining({ bucket: config.backend.bucket, key: `${config.backend.keyPrefix}/${env}-${layer}.tfstate`, encrypt: true, use_lockfile: true }),
    );
  });

  test.each(LAYERS.map((l) => [l]))("%s stack's AWS provider is pinned to the account and tags every resource", (layer) => {
    const aws = synth(stacks[layer]).provider.aws[0];
    expect(aws.allowed_account_ids).toEqual([config.account]);
    expect(aws.region).toBe(config.region);
    expect(aws.default_tags[0].tags).toEqual(expect.objectContaining({ Environment: env, Owner: expect.any(String), CostCentre: expect.any(String), Layer: layer }));
  });

  test("stacks depend on the layers below them, so `cdktf deploy '<env>-*'` orders them", () => {
    const deps = (id: string) => [...synthesizedManifest().stacks[id]!.dependencies].sort();
    expect(deps(stacks.network)).toEqual([]);
    expect(deps(stacks.cluster)).toEqual([`${env}-network`]);
    expect(deps(stacks.storage)).toEqual([`${env}-cluster`, `${env}-network`]);
    expect(deps(stacks.platform)).toEqual(expect.arrayContaining([`${env}-cluster`, `${env}-storage`]));
  });

  test("the platform's Kubernetes and Helm providers are configured from the cluster stack's outputs", () => {
    const tf = synth(stacks.platform);
    const fromCluster = new RegExp(`^\\$\\{data\\.terraform_remote_state\\.cross-stack-reference-input-${env}-cluster\\.outputs\\.`);
    const k8s = tf.provider.kubernetes[0];
    const helm = tf.provider.helm[0].kubernetes;
    for (const p of [k8s, helm]) {
      expect(p.host).toMatch(fromCluster);
      expect(p.cluster_ca_certificate).toMatch(/^\$\{base64decode\(data\.terraform_remote_state\.cross-stack-reference-input-/);
    }
    expect(k8s.exec[0].args).toEqual(expect.arrayContaining(["eks", "get-token", "--region", config.region]));
    // The cluster grants its creator nothing: the providers authenticate as the first admin role.
    expect(k8s.exec[0].args.join(" ")).toContain(`--role-arn ${config.cluster.adminRoleArns[0]}`);
    expect(helm.exec.args).toEqual(k8s.exec[0].args);
    // The remote state cdktf generated reads the cluster stack's own state object.
    const remote = tf.data.terraform_remote_state[`cross-stack-reference-input-${env}-cluster`];
    expect(remote.config.key).toBe(`${config.backend.keyPrefix}/${env}-cluster.tfstate`);
  });

  test("the EFS CSI driver's role may mount and write the environment's file system", () => {
    const tf = synth(stacks.storage);
    const grant = all(tf, "resource", "aws_iam_role_policy")[0]!;
    expect(grant.role).toMatch(new RegExp(`^\\$\\{data\\.terraform_remote_state\\.cross-stack-reference-input-${env}-cluster\\.outputs\\.`));
    const statement = all(tf, "data", "aws_iam_policy_document").find((d) => JSON.stringify(d).includes("elasticfilesystem:ClientMount"));
    expect(JSON.stringify(statement)).toMatch(/elasticfilesystem:ClientWrite/);
  });

  test("every admin role gets a cluster-admin access entry (the creator gets none)", () => {
    const tf = synth(stacks.cluster);
    const eks = all(tf, "resource", "aws_eks_cluster")[0]!;
    expect(eks.access_config).toEqual(expect.objectContaining({ authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false }));
    const entries = all(tf, "resource", "aws_eks_access_entry").map((e) => e.principal_arn);
    for (const arn of config.cluster.adminRoleArns) expect(entries).toContain(arn);
    const policies = all(tf, "resource", "aws_eks_access_policy_association");
    expect(policies.map((p) => [String(p.policy_arn), p.access_scope.type])).toEqual(config.cluster.adminRoleArns.map(() => [expect.stringMatching(/AmazonEKSClusterAdminPolicy$/), "cluster"]));
  });

  test("one NAT gateway per AZ or a single one, as configured", () => {
    const nats = all(synth(stacks.network), "resource", "aws_nat_gateway");
    expect(nats).toHaveLength(config.network.natGateways === "single" ? 1 : config.network.azCount);
  });
});

describe("security across every stack of every environment", () => {
  const tfs = allStacks.map((id) => [id, synth(id)] as const);

  test("no IAM policy statement allows '*' or a service-wide wildcard action (denies may)", () => {
    let checked = 0;
    for (const [stack, tf] of tfs) {
      for (const doc of all(tf, "data", "aws_iam_policy_document")) {
        for (const st of (doc.statement ?? []) as Json[]) {
          if (st.effect === "Deny") continue;
          const principalIsAccountRoot = JSON.stringify(st.principals ?? []).includes(":root");
          if (principalIsAccountRoot && st.sid === "AccountAdministersKeyThroughIam") continue; // KMS key policy: delegate to IAM
          for (const action of (st.actions ?? []) as string[]) {
            checked++;
            expect({ stack, sid: st.sid, action }).toEqual({ stack, sid: st.sid, action: expect.not.stringMatching(/^(\*|[a-z0-9-]+:\*)$/) });
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  test("no AdministratorAccess or other broad managed policy is attached", () => {
    const attached = tfs.flatMap(([, tf]) => all(tf, "resource", "aws_iam_role_policy_attachment").map((a) => String(a.policy_arn)));
    expect(attached.length).toBeGreaterThan(0);
    for (const arn of attached) expect(arn).not.toMatch(/AdministratorAccess|PowerUserAccess|IAMFullAccess/);
  });

  test("every security group and rule has a description and nothing is open to the internet", () => {
    const groups = tfs.flatMap(([, tf]) => all(tf, "resource", "aws_security_group"));
    const ingress = tfs.flatMap(([, tf]) => all(tf, "resource", "aws_vpc_security_group_ingress_rule"));
    expect([groups.length > 0, ingress.length > 0]).toEqual([true, true]);
    for (const [stack, tf] of tfs) {
      for (const type of ["aws_security_group", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule", "aws_security_group_rule"]) {
        for (const r of all(tf, "resource", type)) expect({ stack, type, description: r.description }).toEqual({ stack, type, description: expect.stringMatching(/\S/) });
      }
      for (const r of all(tf, "resource", "aws_vpc_security_group_ingress_rule")) {
        expect(r.cidr_ipv4).not.toBe("0.0.0.0/0");
        expect(r.cidr_ipv6).not.toBe("::/0");
      }
      for (const sg of all(tf, "resource", "aws_security_group")) {
        for (const rule of (sg.ingress ?? []) as Json[]) expect(rule.cidr_blocks ?? []).not.toContain("0.0.0.0/0");
      }
    }
  });

  test("web-identity trust policies are bound to both sub and aud", () => {
    let trusts = 0;
    for (const [, tf] of tfs) {
      for (const doc of all(tf, "data", "aws_iam_policy_document")) {
        for (const st of (doc.statement ?? []) as Json[]) {
          if (!(st.actions ?? []).includes("sts:AssumeRoleWithWebIdentity")) continue;
          trusts++;
          const variables = ((st.condition ?? []) as Json[]).map((c) => String(c.variable));
          expect(variables.some((v) => v.endsWith(":sub"))).toBe(true);
          expect(variables.some((v) => v.endsWith(":aud"))).toBe(true);
        }
      }
    }
    expect(trusts).toBeGreaterThan(0);
  });
});
