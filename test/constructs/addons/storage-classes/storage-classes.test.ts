import { Testing, TerraformStack } from "cdktf";
import { Annotations } from "@cdktf/provider-kubernetes/lib/annotations";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import { ClusterAccess } from "../../../../constructs/cluster/cluster-access";
import { fakeCluster } from "../fake-cluster";
import { StorageClasses, StorageClassesProps, validateStorageClassesProps } from "../../../../constructs/addons/storage-classes/storage-classes";

const KEY = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

function build(props: StorageClassesProps = {}) {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  const classes = new StorageClasses(stack, "StorageClasses", props);
  const json = Testing.synth(stack);
  return { stack, classes, json, parsed: JSON.parse(json) };
}

function classNamed(parsed: any, name: string): any {
  return Object.values(parsed.resource.kubernetes_storage_class_v1).find((c: any) => c.metadata.name === name);
}

describe("StorageClasses", () => {
  test("makes an encrypted, expandable, zone-aware gp3 class the default", () => {
    const { json } = build();
    expect(json).toHaveResourceWithProperties(StorageClassV1, {
      metadata: { name: "gp3", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
      storage_provisioner: "ebs.csi.aws.com",
      parameters: { type: "gp3", encrypted: "true", "csi.storage.k8s.io/fstype": "ext4" },
      reclaim_policy: "Delete",
      volume_binding_mode: "WaitForFirstConsumer",
      allow_volume_expansion: true,
    });
  });

  test("tags the volumes it provisions with the tags given, one tagSpecification_<n> per tag in key order", () => {
    const { parsed, classes } = build({ gp3: { volumeTags: { Owner: "platform", CostCentre: "cc-1" } } });
    expect(classNamed(parsed, "gp3").parameters).toEqual(expect.objectContaining({ tagSpecification_1: "CostCentre=cc-1", tagSpecification_2: "Owner=platform" }));
    expect(Object.keys(build().classes.gp3Parameters).filter((k) => k.startsWith("tagSpecification"))).toEqual([]);
    expect(classes.gp3Parameters.tagSpecification_3).toBeUndefined();
  });

  test("fails when a volume tag would break the driver's key=value form", () => {
    expect(validateStorageClassesProps({ gp3: { volumeTags: { "a=b": "c" } } })).toEqual([expect.objectContaining({ path: "gp3.volumeTags.a=b" })]);
    expect(validateStorageClassesProps({ gp3: { volumeTags: { Team: "{{ .PVCNamespace }}" } } })).toEqual([expect.objectContaining({ path: "gp3.volumeTags.Team" })]);
  });

  test("encrypts with the given customer key", () => {
    const { parsed } = build({ gp3: { kmsKeyId: KEY } });
    expect(classNamed(parsed, "gp3").parameters.kmsKeyId).toBe(KEY);
  });

  test("retains volumes when asked", () => {
    const { parsed, classes } = build({ gp3: { reclaimPolicy: "Retain" } });
    expect(classNamed(parsed, "gp3").reclaim_policy).toBe("Retain");
    expect(classes.gp3ReclaimPolicy).toBe("Retain");
  });

  test("demotes the EKS gp2 class after gp3 exists", () => {
    const { json, parsed, stack, classes } = build();
    expect(json).toHaveResourceWithProperties(Annotations, {
      api_version: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: "gp2" },
      annotations: { "storageclass.kubernetes.io/is-default-class": "false" },
      force: true,
    });
    const annotation = Object.values(parsed.resource.kubernetes_annotations)[0] as any;
    expect(annotation.depends_on).toEqual([`kubernetes_storage_class_v1.${stack.getLogicalId(classes.gp3)}`]);
  });

  test("leaves gp2 alone when gp3 is not the default", () => {
    const { json, parsed, classes } = build({ gp3: { isDefault: false } });
    expect(json).not.toHaveResource(Annotations);
    expect(classNamed(parsed, "gp3").metadata.annotations["storageclass.kubernetes.io/is-default-class"]).toBe("false");
    expect(classes.demoteGp2).toBe(false);
  });

  test("makes no EFS class unless a file system is given", () => {
    const { parsed } = build();
    expect(classNamed(parsed, "efs")).toBeUndefined();
  });

  test("provisions EFS through access points with owner-only directories and a GID range", () => {
    const { json } = build({ efs: { fileSystemId: "fs-0123456789abcdef0" } });
    expect(json).toHaveResourceWithProperties(StorageClassV1, {
      metadata: { name: "efs" },
      storage_provisioner: "efs.csi.aws.com",
      parameters: {
        provisioningMode: "efs-ap",
        fileSystemId: "fs-0123456789abcdef0",
        directoryPerms: "700",
        gidRangeStart: "50000",
        gidRangeEnd: "51000",
        basePath: "/dynamic_provisioning",
      },
      reclaim_policy: "Delete",
    });
  });

  test("mounts EFS over TLS with IAM authentication, as the file system policy requires", () => {
    const { json } = build({ efs: { fileSystemId: "fs-0123456789abcdef0" } });
    expect(json).toHaveResourceWithProperties(StorageClassV1, { metadata: { name: "efs" }, mount_options: ["tls", "iam"] });
  });

  test("passes the access's Kubernetes provider and dependsOn to every object", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "test");
    const access = new ClusterAccess(stack, "Access", { cluster: fakeCluster(), alias: "platform" });
    const before = new StorageClasses(stack, "Before", { gp3: { name: "before", isDefault: false } });
    new StorageClasses(stack, "After", { access, dependsOn: [before.gp3], efs: { fileSystemId: "fs-0123456789abcdef0" } });
    const parsed = JSON.parse(Testing.synth(stack));
    const dep = `kubernetes_storage_class_v1.${stack.getLogicalId(before.gp3)}`;
    for (const name of ["gp3", "efs"]) {
      expect(classNamed(parsed, name).provider).toBe("kubernetes.platform");
      expect(classNamed(parsed, name).depends_on).toEqual([dep]);
    }
    expect((Object.values(parsed.resource.kubernetes_annotations)[0] as any).depends_on).toContain(dep);
  });

  test("fails when the KMS key is not an ARN", () => {
    expect(() => build({ gp3: { kmsKeyId: "1234abcd" } })).toThrow(/gp3.kmsKeyId: got "1234abcd"/);
  });

  test("fails when the reclaim policy is unknown", () => {
    expect(validateStorageClassesProps({ gp3: { reclaimPolicy: "Recycle" as any } })).toEqual([expect.objectContaining({ path: "gp3.reclaimPolicy" })]);
  });

  test("fails when a class would take over gp2", () => {
    expect(() => build({ gp3: { name: "gp2" } })).toThrow(/gp3.name: got "gp2"/);
  });

  test("fails when a class name is not a Kubernetes name", () => {
    expect(() => build({ gp3: { name: "GP3" } })).toThrow(/gp3.name: got "GP3"/);
    expect(() => build({ efs: { fileSystemId: "fs-0123456789abcdef0", name: "Shared_FS" } })).toThrow(/efs.name: got "Shared_FS"/);
  });

  test("fails when both classes have the same name", () => {
    expect(() => build({ efs: { fileSystemId: "fs-0123456789abcdef0", name: "gp3" } })).toThrow(/efs.name: got "gp3"; allowed: a name different/);
  });

  test("fails when gp2 would be demoted with no other default", () => {
    expect(() => build({ gp3: { isDefault: false }, demoteGp2: true })).toThrow(/demoteGp2: got true/);
  });

  test("fails when the EFS file system id is malformed", () => {
    expect(() => build({ efs: { fileSystemId: "efs-123" } })).toThrow(/efs.fileSystemId: got "efs-123"/);
  });

  test("fails when directoryPerms is not octal", () => {
    expect(() => build({ efs: { fileSystemId: "fs-0123456789abcdef0", directoryPerms: "rwx" } })).toThrow(/efs.directoryPerms: got "rwx"/);
  });

  test("fails when the GID range is empty or reversed", () => {
    expect(() => build({ efs: { fileSystemId: "fs-0123456789abcdef0", gidRangeStart: 2000, gidRangeEnd: 1000 } })).toThrow(/efs.gidRangeEnd: got \[2000,1000\]/);
  });

  test("fails when basePath is relative", () => {
    expect(() => build({ efs: { fileSystemId: "fs-0123456789abcdef0", basePath: "volumes" } })).toThrow(/efs.basePath: got "volumes"/);
  });

  test("fails when the EFS reclaim policy is unknown", () => {
    expect(validateStorageClassesProps({ efs: { fileSystemId: "fs-0123456789abcdef0", reclaimPolicy: "Keep" as any } })).toEqual([
      expect.objectContaining({ path: "efs.reclaimPolicy" }),
    ]);
  });
});

describe("StorageClasses volume tags", () => {
  test("each tag becomes a tagSpecification_<n> parameter of the gp3 class, which the EBS CSI driver puts on every volume", () => {
    const { classes, parsed } = build({ gp3: { volumeTags: { backup: "true", team: "platform" } } });
    expect(classes.gp3Parameters).toMatchObject({ tagSpecification_1: "backup=true", tagSpecification_2: "team=platform" });
    expect(classNamed(parsed, "gp3").parameters).toMatchObject({ tagSpecification_1: "backup=true" });
    expect(Object.keys(build().classes.gp3Parameters).filter((k) => k.startsWith("tagSpecification"))).toEqual([]);
  });

  test("fails with a tag key holding '='", () => {
    expect(validateStorageClassesProps({ gp3: { volumeTags: { "a=b": "c" } } }).map((p) => p.path)).toEqual(["gp3.volumeTags.a=b"]);
  });
});
