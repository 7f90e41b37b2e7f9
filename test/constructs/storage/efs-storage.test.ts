import { Fn, Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { EfsAccessPoint } from "@cdktf/provider-aws/lib/efs-access-point";
import { EfsBackupPolicy } from "@cdktf/provider-aws/lib/efs-backup-policy";
import { EfsFileSystem } from "@cdktf/provider-aws/lib/efs-file-system";
import { EfsMountTarget } from "@cdktf/provider-aws/lib/efs-mount-target";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { ICluster } from "../../../constructs/cluster/cluster-types";
import { INetwork } from "../../../constructs/network/network-types";
import { EfsStorage, EfsStorageProps, validateEfsStorageProps } from "../../../constructs/storage";
import { fakeCluster, fakeNetwork } from "../../support/fakes";

const network: INetwork = fakeNetwork({ vpcId: "vpc-0abc", intraSubnetIds: [] });

const cluster: ICluster = fakeCluster({ clusterSecurityGroupId: "sg-cluster" });

interface Statement {
  sid: string;
  effect: string;
  actions: string[];
  principals: Array<{ type: string; identifiers: string[] }>;
  condition?: Array<{ test: string; variable: string; values: string[] }>;
}

function synth(extra: Partial<EfsStorageProps> = {}) {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const efs = new EfsStorage(stack, "Efs", { network, cluster, ...extra });
  const json = Testing.synth(stack);
  return { efs, json, parsed: JSON.parse(json) };
}

function resources<T>(parsed: any, type: string): T[] {
  return Object.values(parsed.resource?.[type] ?? {}) as T[];
}

function policyStatements(parsed: any): Statement[] {
  const doc = Object.entries(parsed.data.aws_iam_policy_document).find(([name]) => name.startsWith("Efs_PolicyDocument"));
  return (doc?.[1] as { statement: Statement[] }).statement;
}

describe("EfsStorage defaults", () => {
  test("encrypts with a customer key of its own, general purpose, elastic throughput", () => {
    const { json, efs } = synth();
    expect(json).toHaveResource(KmsKeyResource);
    expect(json).toHaveResourceWithProperties(EfsFileSystem, {
      encrypted: true,
      kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\.Efs_Key_\w+\.arn\}$/),
      performance_mode: "generalPurpose",
      throughput_mode: "elastic",
    });
    expect(efs.throughputMode).toBe("elastic");
    expect(efs.createdKey).toBeDefined();
  });

  test("moves files to IA after 30 days and back on first access, one transition per block", () => {
    const { parsed, efs } = synth();
    const fs = resources<{ lifecycle_policy: unknown[] }>(parsed, "aws_efs_file_system")[0];
    expect(fs.lifecycle_policy).toEqual([{ transition_to_ia: "AFTER_30_DAYS" }, { transition_to_primary_storage_class: "AFTER_1_ACCESS" }]);
    expect(efs.transitionToIa).toBe("AFTER_30_DAYS");
  });

  test("enables automatic backups", () => {
    const { json, efs } = synth();
    expect(json).toHaveResourceWithProperties(EfsBackupPolicy, { backup_policy: { status: "ENABLED" } });
    expect(efs.automaticBackups).toBe(true);
  });

  test("puts one mount target into every private subnet, behind its own security group", () => {
    const { parsed } = synth();
    const targets = resources<{ subnet_id: string; security_groups: string[] }>(parsed, "aws_efs_mount_target");
    expect(targets.map((t) => t.subnet_id)).toEqual(network.privateSubnetIds);
    expect(JSON.stringify(parsed)).not.toContain("subnet-pub-");
    for (const t of targets) expect(t.security_groups).toEqual([expect.stringMatching(/^\$\{aws_security_group\.Efs_SecurityGroup_\w+\.id\}$/)]);
    expect(Object.keys(parsed.resource.aws_efs_mount_target).map((k) => k.split("_")[1])).toEqual(["MountTarget0", "MountTarget1", "MountTarget2"]);
  });

  test("creates the security group in the VPC with a description and no inline rules", () => {
    const { json, parsed } = synth();
    expect(json).toHaveResourceWithProperties(SecurityGroup, { vpc_id: "vpc-0abc", description: expect.stringContaining("NFS from the cluster only") });
    const sg = resources<Record<string, unknown>>(parsed, "aws_security_group")[0];
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
  });

  test("allows NFS 2049/TCP from the cluster security group only, never from a CIDR", () => {
    const { json, parsed } = synth();
    expect(json).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, { referenced_security_group_id: "sg-cluster", from_port: 2049 });
    const rules = resources<Record<string, unknown>>(parsed, "aws_vpc_security_group_ingress_rule");
    expect(rules).toEqual([
      {
        security_group_id: expect.stringMatching(/^\$\{aws_security_group\.Efs_SecurityGroup_\w+\.id\}$/),
        referenced_security_group_id: "sg-cluster",
        ip_protocol: "tcp",
        from_port: 2049,
        to_port: 2049,
        description: "NFS from the EKS cluster security group",
      },
    ]);
    expect(JSON.stringify(parsed)).not.toContain("0.0.0.0/0");
  });

  test("gives the access point uid/gid 1000 and a /platform root created 0750", () => {
    const { json, efs } = synth();
    expect(json).toHaveResourceWithProperties(EfsAccessPoint, {
      posix_user: { uid: 1000, gid: 1000 },
      root_directory: { path: "/platform", creation_info: { owner_uid: 1000, owner_gid: 1000, permissions: "0750" } },
    });
    expect([efs.posixUid, efs.posixGid, efs.rootDirectoryPath, efs.rootDirectoryPermissions]).toEqual([1000, 1000, "/platform", "0750"]);
  });

  test("denies non-TLS access and grants mount/write only to this account through mount targets and access points", () => {
    const { parsed } = synth();
    const [tls, mount] = policyStatements(parsed);
    expect(tls).toMatchObject({
      sid: "DenyInsecureTransport",
      effect: "Deny",
      principals: [{ type: "*", identifiers: ["*"] }],
      condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
    });
    expect(mount).toMatchObject({
      effect: "Allow",
      actions: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
      principals: [{ type: "AWS", identifiers: [expect.stringMatching(/^arn:\$\{data\.aws_partition\.\w+\.partition\}:iam::\$\{data\.aws_caller_identity\.\w+\.account_id\}:root$/)] }],
      condition: [
        { test: "Bool", variable: "elasticfilesystem:AccessedViaMountTarget", values: ["true"] },
        { test: "ArnLike", variable: "elasticfilesystem:AccessPointArn", values: [expect.stringMatching(/^arn:.*:elasticfilesystem:.*:access-point\/\*$/)] },
      ],
    });
    expect(mount.actions).not.toContain("elasticfilesystem:ClientRootAccess");
    expect(Object.keys(parsed.resource.aws_efs_file_system_policy)).toHaveLength(1);
  });

  test("denies every mount of / that bypasses an access point, even one an identity policy would allow", () => {
    const [, , root] = policyStatements(synth().parsed);
    expect(root).toMatchObject({
      sid: "DenyMountsNotThroughAnAccessPoint",
      effect: "Deny",
      principals: [{ type: "*", identifiers: ["*"] }],
      actions: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite", "elasticfilesystem:ClientRootAccess"],
      condition: [{ test: "Null", variable: "elasticfilesystem:AccessPointArn", values: ["true"] }],
    });
  });

  test("scopes access point management to this file system and to access points the driver made", () => {
    const { efs } = synth();
    const bySid = Object.fromEntries(efs.accessPointManagementStatements.map((s) => [s.sid, s]));
    expect(bySid.CreateAccessPointsOnThisFileSystemOnly).toMatchObject({ actions: ["elasticfilesystem:CreateAccessPoint"], resources: [efs.fileSystemArn] });
    expect(bySid.DeleteDriverMadeAccessPointsOnly!.condition).toEqual([{ test: "StringEquals", variable: "aws:ResourceTag/efs.csi.aws.com/cluster", values: ["true"] }]);
    for (const s of efs.accessPointManagementStatements) {
      if (s.sid !== "DescribeZones") expect(s.resources).not.toContain("*");
    }
  });

  test("refuses anonymous clients and offers the statement an IAM client needs", () => {
    const { efs } = synth();
    expect(efs.allowAnonymousAccess).toBe(false);
    expect(efs.clientPolicyStatement).toMatchObject({
      effect: "Allow",
      actions: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
      resources: [efs.fileSystemArn],
      condition: [
        { test: "Bool", variable: "elasticfilesystem:AccessedViaMountTarget", values: ["true"] },
        { test: "ArnLike", variable: "elasticfilesystem:AccessPointArn", values: [expect.stringMatching(/:access-point\/\*$/)] },
      ],
    });
  });

  test("exposes ids of the file system, access point and security group", () => {
    const { efs } = synth();
    for (const value of [efs.fileSystemId, efs.accessPointId, efs.securityGroupId]) expect(value).toMatch(/TOKEN/);
  });

  test("does not prevent destroy by default", () => {
    const { parsed } = synth();
    expect(resources<{ lifecycle?: unknown }>(parsed, "aws_efs_file_system")[0].lifecycle).toBeUndefined();
  });
});

describe("EfsStorage options", () => {
  test("uses a key passed in instead of creating one", () => {
    const { json, efs } = synth({ encryptionKey: { keyArn: "arn:aws:kms:eu-west-1:111122223333:key/efs" } });
    expect(json).not.toHaveResource(KmsKeyResource);
    expect(json).toHaveResourceWithProperties(EfsFileSystem, { kms_key_id: "arn:aws:kms:eu-west-1:111122223333:key/efs" });
    expect(efs.createdKey).toBeUndefined();
  });

  test("uses provisioned throughput when asked", () => {
    expect(synth({ throughputMode: "provisioned", provisionedThroughputInMibps: 64 }).json).toHaveResourceWithProperties(EfsFileSystem, {
      throughput_mode: "provisioned",
      provisioned_throughput_in_mibps: 64,
    });
  });

  test("takes the IA age from props and archives when asked", () => {
    const { parsed } = synth({ transitionToIa: "AFTER_7_DAYS", transitionToArchive: "AFTER_90_DAYS" });
    expect(resources<{ lifecycle_policy: unknown[] }>(parsed, "aws_efs_file_system")[0].lifecycle_policy).toEqual([
      { transition_to_ia: "AFTER_7_DAYS" },
      { transition_to_primary_storage_class: "AFTER_1_ACCESS" },
      { transition_to_archive: "AFTER_90_DAYS" },
    ]);
  });

  test("disables automatic backups when asked", () => {
    expect(synth({ automaticBackups: false }).json).toHaveResourceWithProperties(EfsBackupPolicy, { backup_policy: { status: "DISABLED" } });
  });

  test("takes the POSIX identity, root path and permissions from props", () => {
    expect(synth({ posixUid: 2000, posixGid: 3000, rootDirectoryPath: "/data/app", rootDirectoryPermissions: "0700" }).json).toHaveResourceWithProperties(
      EfsAccessPoint,
      {
        posix_user: { uid: 2000, gid: 3000 },
        root_directory: { path: "/data/app", creation_info: { owner_uid: 2000, owner_gid: 3000, permissions: "0700" } },
      },
    );
  });

  test("allows NFS from additional client security groups", () => {
    const { parsed } = synth({ additionalClientSecurityGroups: { Karpenter: "sg-karpenter" } });
    const sources = resources<{ referenced_security_group_id: string }>(parsed, "aws_vpc_security_group_ingress_rule").map(
      (r) => r.referenced_security_group_id,
    );
    expect(sources.sort()).toEqual(["sg-cluster", "sg-karpenter"]);
  });

  test("lets anonymous clients mount through a mount target when asked, still TLS only", () => {
    const { parsed } = synth({ allowAnonymousAccess: true });
    const [tls, mount] = policyStatements(parsed);
    expect(tls.sid).toBe("DenyInsecureTransport");
    expect(mount).toMatchObject({
      sid: "AnyClientThroughAccessPoints",
      principals: [{ type: "AWS", identifiers: ["*"] }],
      condition: [
        { test: "Bool", variable: "elasticfilesystem:AccessedViaMountTarget", values: ["true"] },
        { test: "ArnLike", variable: "elasticfilesystem:AccessPointArn", values: [expect.stringMatching(/:access-point\/\*$/)] },
      ],
    });
  });

  test("sets prevent_destroy on the file system, its policy and its key when asked", () => {
    const { json, parsed } = synth({ preventDestroy: true });
    // Deleting the policy alone would reopen the file system to anonymous, non-TLS clients.
    expect(resources<{ lifecycle?: unknown }>(parsed, "aws_efs_file_system_policy")[0].lifecycle).toEqual({ prevent_destroy: true });
    expect(json).toHaveResourceWithProperties(EfsFileSystem, { lifecycle: { prevent_destroy: true } });
    expect(json).toHaveResourceWithProperties(KmsKeyResource, { lifecycle: { prevent_destroy: true } });
  });

  test("uses for_each when the private subnets are a list only Terraform knows", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "test");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    const remote = { ...network, privateSubnetIds: Fn.split(",", "subnet-a,subnet-b") };
    new EfsStorage(stack, "Efs", { network: remote, cluster });
    const parsed = JSON.parse(Testing.synth(stack));
    const targets = Object.entries(parsed.resource.aws_efs_mount_target) as Array<[string, { for_each: string; subnet_id: string }]>;
    expect(targets).toHaveLength(1);
    expect(targets[0][0]).toMatch(/^Efs_MountTargets_/);
    expect(targets[0][1].for_each).toContain("split");
    expect(targets[0][1].subnet_id).toBe("${each.value}");
  });

  test("keeps one mount target per element for a literal list of unresolved ids", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "test");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    const oneSubnet = { ...network, privateSubnetIds: [Fn.element(["subnet-x"], 0)] };
    new EfsStorage(stack, "Efs", { network: oneSubnet, cluster });
    const json = Testing.synth(stack);
    expect(json).toHaveResourceWithProperties(EfsMountTarget, { subnet_id: '${element(["subnet-x"], 0)}' });
    expect(Object.keys(JSON.parse(json).resource.aws_efs_mount_target)).toEqual([expect.stringMatching(/^Efs_MountTarget0_/)]);
  });
});

describe("validateEfsStorageProps", () => {
  const paths = (props: Partial<EfsStorageProps>) => validateEfsStorageProps(props).map((p) => p.path);

  test("accepts the defaults", () => {
    expect(validateEfsStorageProps({ network })).toEqual([]);
  });

  test("fails when the uid or gid is 0 (root)", () => {
    expect(() => synth({ posixUid: 0 })).toThrow(/posixUid: got 0; allowed: a whole number from 1 to 4294967295 \(0 is root\)/);
    expect(paths({ posixGid: 0 })).toEqual(["posixGid"]);
  });

  test("fails when the uid or gid is negative, fractional or too large", () => {
    expect(paths({ posixUid: -5, posixGid: 2 ** 32 })).toEqual(["posixUid", "posixGid"]);
    expect(paths({ posixUid: 1.5 })).toEqual(["posixUid"]);
  });

  test("fails when the root directory is relative", () => {
    expect(() => synth({ rootDirectoryPath: "platform" })).toThrow(/rootDirectoryPath: got "platform"; allowed: an absolute path below '\/'/);
  });

  test("fails when the root directory is / itself", () => {
    expect(paths({ rootDirectoryPath: "/" })).toEqual(["rootDirectoryPath"]);
  });

  test("fails when the root directory climbs with .. or has empty segments", () => {
    expect(paths({ rootDirectoryPath: "/a/../etc" })).toEqual(["rootDirectoryPath"]);
    expect(paths({ rootDirectoryPath: "/a//b" })).toEqual(["rootDirectoryPath"]);
    expect(paths({ rootDirectoryPath: "/a/" })).toEqual(["rootDirectoryPath"]);
  });

  test("fails when the root directory is longer than 100 characters", () => {
    expect(paths({ rootDirectoryPath: `/${"a".repeat(100)}` })).toEqual(["rootDirectoryPath"]);
  });

  test("fails when the permissions are not octal", () => {
    expect(paths({ rootDirectoryPermissions: "0789" })).toEqual(["rootDirectoryPermissions"]);
    expect(paths({ rootDirectoryPermissions: "rwx" })).toEqual(["rootDirectoryPermissions"]);
  });

  test("fails when the IA age is not an EFS value", () => {
    expect(paths({ transitionToIa: "AFTER_2_DAYS" as never })).toEqual(["transitionToIa"]);
  });

  test("fails when archiving is not later than IA or not on elastic throughput", () => {
    expect(paths({ transitionToArchive: "AFTER_30_DAYS" })).toEqual(["transitionToArchive"]);
    expect(paths({ transitionToArchive: "AFTER_90_DAYS", throughputMode: "bursting" })).toEqual(["transitionToArchive"]);
  });

  test("fails when the throughput mode is unknown", () => {
    expect(paths({ throughputMode: "maxIO" as never })).toEqual(["throughputMode"]);
  });

  test("fails when provisioned throughput is missing, misplaced or below 1 MiB/s", () => {
    expect(paths({ throughputMode: "provisioned" })).toEqual(["provisionedThroughputInMibps"]);
    expect(paths({ provisionedThroughputInMibps: 10 })).toEqual(["provisionedThroughputInMibps"]);
    expect(paths({ throughputMode: "provisioned", provisionedThroughputInMibps: 0 })).toEqual(["provisionedThroughputInMibps"]);
  });

  test("fails when the network has no private subnet", () => {
    expect(() => synth({ network: { ...network, privateSubnetIds: [] } })).toThrow(/network.privateSubnetIds: got \[\]/);
  });
});
