/**
 * The properties that matter most, asserted by name on every stack of every environment, with the expected
 * values taken from the environments' data (never from the synthesized output): encryption with customer
 * keys, blocked public access, deletion protection, endpoint privacy, IMDSv2, node group sizes, retention
 * and pinned add-on versions. A snapshot update (`-u`) cannot change any of these without failing here.
 */
import { ENVIRONMENTS } from "../../environments";
import { EKS_MANAGED_ADDONS } from "../../lib/eks/addon-versions";
import { synthesizedStack } from "../support/synthesized-app";

type Json = Record<string, any>;

/** Every resource of a type in a stack, with its Terraform address. */
function resources(tf: Json, type: string): Array<[string, Json]> {
  return Object.entries<Json>(tf.resource?.[type] ?? {}).map(([name, r]) => [`${type}.${name}`, r]);
}

/** A reference to an attribute of a resource of the given type in the same stack, e.g. `${aws_kms_key.X.arn}`. */
function referenceTo(type: string, attribute: string): RegExp {
  return new RegExp(`^\\$\\{${type}\\.[A-Za-z0-9_]+\\.${attribute}\\}$`);
}
const KMS_KEY_ARN = referenceTo("aws_kms_key", "arn");
const isTrue = (v: unknown) => v === true || v === "true";

describe.each(ENVIRONMENTS.map((c) => [c.name, c] as const))("%s", (env, config) => {
  const network = synthesizedStack(`${env}-network`);
  const cluster = synthesizedStack(`${env}-cluster`);
  const storage = synthesizedStack(`${env}-storage`);
  const platform = synthesizedStack(`${env}-platform`);
  const observability = synthesizedStack(`${env}-observability`);
  const stacks = { network, cluster, storage, platform };

  describe("encryption at rest with the platform's own KMS keys", () => {
    test("EKS encrypts Kubernetes secrets with a key of the cluster stack", () => {
      const [[, eks]] = resources(cluster, "aws_eks_cluster") as [[string, Json]];
      expect(eks.encryption_config).toEqual({ provider: { key_arn: expect.stringMatching(KMS_KEY_ARN) }, resources: ["secrets"] });
    });

    test("every node volume (launch template) is encrypted with a KMS key", () => {
      const templates = resources(cluster, "aws_launch_template");
      expect(templates).toHaveLength(config.cluster.nodeGroups.length);
      for (const [address, lt] of templates) {
        for (const bd of lt.block_device_mappings as Json[]) {
          expect({ address, encrypted: isTrue(bd.ebs.encrypted), key: bd.ebs.kms_key_id }).toEqual({ address, encrypted: true, key: expect.stringMatching(KMS_KEY_ARN) });
        }
      }
    });

    test("persistent volumes (StorageClasses) are encrypted, EBS ones with a KMS key", () => {
      const classes = resources(platform, "kubernetes_storage_class_v1");
      expect(classes.filter(([, sc]) => sc.storage_provisioner === "ebs.csi.aws.com").length).toBeGreaterThan(0);
      for (const [address, sc] of classes) {
        if (sc.storage_provisioner === "ebs.csi.aws.com") {
          expect({ address, encrypted: sc.parameters.encrypted, key: sc.parameters.kmsKeyId }).toEqual({ address, encrypted: "true", key: expect.stringMatching(/\S/) });
        }
      }
    });

    test("EFS is encrypted with its own key, and exists exactly when the environment asks for it", () => {
      const file = resources(storage, "aws_efs_file_system");
      expect(file).toHaveLength(config.storage.efs ? 1 : 0);
      for (const [address, fs] of file) expect({ address, encrypted: fs.encrypted, key: fs.kms_key_id }).toEqual({ address, encrypted: true, key: expect.stringMatching(KMS_KEY_ARN) });
    });

    test("every S3 bucket has SSE-KMS with a customer key, except the access-log bucket (SSE-S3: S3 delivers no logs to SSE-KMS)", () => {
      const buckets = resources(storage, "aws_s3_bucket");
      const sse = resources(storage, "aws_s3_bucket_server_side_encryption_configuration");
      const logTargets = new Set(resources(storage, "aws_s3_bucket_logging").map(([, l]) => l.target_bucket));
      expect(buckets.length).toBeGreaterThan(1);
      expect(logTargets.size).toBe(1);
      for (const [address] of buckets) {
        const rule = sse.find(([, s]) => s.bucket === `\${${address}.id}`)?.[1].rule;
        const receivesLogs = logTargets.has(`\${${address}.id}`);
        const byDefault = receivesLogs ? { sse_algorithm: "AES256" } : { sse_algorithm: "aws:kms", kms_master_key_id: expect.stringMatching(KMS_KEY_ARN) };
        expect({ address, rule }).toEqual({ address, rule: [expect.objectContaining({ apply_server_side_encryption_by_default: byDefault })] });
      }
    });

    test("every log group (VPC flow logs, control-plane logs) is encrypted with a KMS key", () => {
      const groups = [...resources(network, "aws_cloudwatch_log_group"), ...resources(cluster, "aws_cloudwatch_log_group")];
      expect(groups).toHaveLength(2);
      for (const [address, g] of groups) expect({ address, key: g.kms_key_id }).toEqual({ address, key: expect.stringMatching(KMS_KEY_ARN) });
    });

    test("every KMS key rotates", () => {
      expect(Object.values(stacks).flatMap((tf) => resources(tf, "aws_kms_key")).length).toBeGreaterThan(0);
      for (const [layer, tf] of Object.entries(stacks)) {
        for (const [address, key] of resources(tf, "aws_kms_key")) expect({ layer, address, rotation: key.enable_key_rotation }).toEqual({ layer, address, rotation: true });
      }
    });

    test("every stack's Terraform state is encrypted (with the environment's key when it names one)", () => {
      for (const [layer, tf] of Object.entries(stacks)) {
        const s3 = tf.terraform.backend.s3;
        expect({ layer, encrypt: s3.encrypt, kms_key_id: s3.kms_key_id }).toEqual({ layer, encrypt: true, kms_key_id: config.backend.kmsKeyId });
      }
    });
  });

  test("every S3 bucket blocks all public access", () => {
    const blocks = resources(storage, "aws_s3_bucket_public_access_block");
    expect(resources(storage, "aws_s3_bucket").length).toBeGreaterThan(0);
    for (const [address] of resources(storage, "aws_s3_bucket")) {
      const block = blocks.find(([, b]) => b.bucket === `\${${address}.id}`)?.[1];
      expect({ address, block }).toEqual({
        address,
        block: expect.objectContaining({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true }),
      });
    }
  });

  test("deletion protection and prevent_destroy are exactly what the environment asks for", () => {
    const stateful: Array<[Json, string]> = [
      [network, "aws_vpc"],
      [network, "aws_kms_key"],
      [network, "aws_cloudwatch_log_group"],
      [cluster, "aws_kms_key"],
      [cluster, "aws_cloudwatch_log_group"],
      [cluster, "aws_eks_cluster"],
      [storage, "aws_kms_key"],
      [storage, "aws_s3_bucket"],
      [storage, "aws_s3_bucket_policy"],
      [storage, "aws_s3_bucket_public_access_block"],
      [storage, "aws_efs_file_system"],
      [storage, "aws_efs_file_system_policy"],
      // Log groups, AMP and the alert topics: whichever the environment has (keys that are lost make data unreadable).
      [observability, "aws_kms_key"],
      [observability, "aws_cloudwatch_log_group"],
      [observability, "aws_prometheus_workspace"],
    ];
    for (const [tf, type] of stateful) {
      if (tf !== observability) expect({ type, count: resources(tf, type).length > 0 }).toEqual({ type, count: true });
      for (const [address, r] of resources(tf, type)) {
        expect({ address, preventDestroy: r.lifecycle?.prevent_destroy === true }).toEqual({ address, preventDestroy: config.protection.preventDestroy });
      }
    }
    for (const [address, b] of resources(storage, "aws_s3_bucket")) expect({ address, forceDestroy: b.force_destroy === true }).toEqual({ address, forceDestroy: false });
    const [[, eks]] = resources(cluster, "aws_eks_cluster") as [[string, Json]];
    expect(eks.deletion_protection === true).toBe(config.cluster.deletionProtection);
  });

  test("the API endpoint is private, public only for the environment's allow-list", () => {
    const [[, eks]] = resources(cluster, "aws_eks_cluster") as [[string, Json]];
    const publicCidrs = config.cluster.publicAccessCidrs;
    expect(eks.vpc_config).toEqual(
      expect.objectContaining({ endpoint_private_access: true, endpoint_public_access: publicCidrs.length > 0, ...(publicCidrs.length > 0 ? { public_access_cidrs: publicCidrs } : {}) }),
    );
    if (publicCidrs.length === 0) expect(eks.vpc_config.public_access_cidrs ?? []).toEqual([]);
  });

  test("every launch template requires IMDSv2 with a hop limit of 1 and gives nodes no public IP", () => {
    expect(resources(cluster, "aws_launch_template")).toHaveLength(config.cluster.nodeGroups.length);
    for (const [address, lt] of resources(cluster, "aws_launch_template")) {
      expect({ address, metadata: lt.metadata_options }).toEqual({ address, metadata: expect.objectContaining({ http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1 }) });
      for (const ni of (lt.network_interfaces ?? []) as Json[]) expect({ address, publicIp: isTrue(ni.associate_public_ip_address) }).toEqual({ address, publicIp: false });
    }
  });

  test("node groups have the environment's sizes, capacity types, instance types and disks", () => {
    const groups = resources(cluster, "aws_eks_node_group");
    const templates = resources(cluster, "aws_launch_template");
    expect(groups).toHaveLength(config.cluster.nodeGroups.length);
    for (const want of config.cluster.nodeGroups) {
      const prefix = `${config.cluster.name}-${want.name}-`;
      const group = groups.find(([, g]) => g.node_group_name_prefix === prefix)?.[1];
      const template = templates.find(([, t]) => t.name_prefix === prefix)?.[1];
      expect({ name: want.name, scaling: group?.scaling_config, capacity: group?.capacity_type, instances: group?.instance_types, labels: group?.labels }).toEqual({
        name: want.name,
        scaling: { min_size: want.minSize, max_size: want.maxSize, desired_size: want.desiredSize },
        capacity: want.capacityType,
        instances: want.instanceTypes,
        labels: want.labels,
      });
      expect({ name: want.name, disk: template?.block_device_mappings[0].ebs.volume_size }).toEqual({ name: want.name, disk: want.diskSizeGiB });
    }
  });

  test("log retention is the environment's: flow logs and control-plane logs", () => {
    const [[, flow]] = resources(network, "aws_cloudwatch_log_group") as [[string, Json]];
    const [[, controlPlane]] = resources(cluster, "aws_cloudwatch_log_group") as [[string, Json]];
    expect([flow.retention_in_days, controlPlane.retention_in_days]).toEqual([config.network.flowLogRetentionDays, config.cluster.logRetentionDays]);
  });

  test("pinned EKS add-ons run the pinned version; the others follow EKS's default for the cluster's version", () => {
    const addons = resources(cluster, "aws_eks_addon");
    const pinned = config.cluster.addonVersions as Partial<Record<keyof typeof EKS_MANAGED_ADDONS, string>>;
    for (const [key, name] of Object.entries(EKS_MANAGED_ADDONS) as Array<[keyof typeof EKS_MANAGED_ADDONS, string]>) {
      const addon = addons.find(([, a]) => a.addon_name === name)?.[1];
      if (key === "efsCsiDriver" && !config.storage.efs) continue;
      const version = pinned[key];
      expect({ name, version: addon?.addon_version }).toEqual({ name, version: version ?? expect.stringMatching(referenceTo("data.aws_eks_addon_version", "version")) });
    }
  });
});
