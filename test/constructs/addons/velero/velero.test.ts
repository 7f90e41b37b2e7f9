import * as fs from "node:fs";
import * as path from "node:path";
import { App, Testing, TerraformStack } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { parse } from "yaml";
import { Velero, VeleroProps, VELERO_DEFAULTS, VELERO_AWS_PLUGIN_TAG, VELERO_IMAGE_TAG } from "../../../../constructs/addons/velero/velero";
import { VeleroMonitoring } from "../../../../constructs/addons/velero/velero-monitoring";
import { KubePrometheusStack } from "../../../../constructs/addons/kube-prometheus-stack/kube-prometheus-stack";
import { fakeCluster, policyStatements, unknownTopLevelKeys } from "../fake-cluster";

const STORAGE = {
  bucketName: "prod-platform-backups-1",
  bucketArn: "arn:aws:s3:::prod-platform-backups-1",
  bucketKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/backups",
  volumeKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/volumes",
};
const SCHEDULES = { "every-6h": { cron: "0 */6 * * *", retentionDays: 14 }, weekly: { cron: "30 3 * * SUN", retentionDays: 90, includedNamespaces: ["payments"] } };

function velero(props: Partial<VeleroProps> = {}, app: App = Testing.app()) {
  const stack = new TerraformStack(app, "platform");
  const addon = new Velero(stack, "Velero", { cluster: fakeCluster(), storage: STORAGE, schedules: SCHEDULES, ...props });
  return { app, stack, addon };
}

function synthesized(stack: TerraformStack) {
  const tf = JSON.parse(Testing.synth(stack));
  const values = parse((Object.values(tf.resource.helm_release)[0] as { values: string[] }).values[0]!);
  return { tf, values };
}

const CHART_KEYS = Object.keys(parse(fs.readFileSync(path.join(__dirname, "../../../fixtures/helm-values/velero-12.1.0.values.yaml"), "utf8")));

describe("Velero", () => {
  test("pins chart 12.1.0 (Velero 1.18.1) and the AWS plugin of the v1.14 line as an init container; only keys the chart has", () => {
    const { stack } = velero();
    const { tf, values } = synthesized(stack);
    expect(JSON.stringify(tf)).toHaveResourceWithProperties(Release, { chart: "velero", version: "12.1.0", repository: "https://vmware-tanzu.github.io/helm-charts", namespace: "velero" });
    expect(VELERO_DEFAULTS.version).toBe("12.1.0");
    expect(values.image).toEqual({ repository: "docker.io/velero/velero", tag: VELERO_IMAGE_TAG, pullPolicy: "IfNotPresent" });
    expect(VELERO_IMAGE_TAG).toBe("v1.18.1");
    expect(VELERO_AWS_PLUGIN_TAG).toMatch(/^v1\.14\.\d+$/);
    expect(values.initContainers).toEqual([expect.objectContaining({ name: "velero-plugin-for-aws", image: `docker.io/velero/velero-plugin-for-aws:${VELERO_AWS_PLUGIN_TAG}`, volumeMounts: [{ mountPath: "/target", name: "plugins" }] })]);
    expect(unknownTopLevelKeys(values, CHART_KEYS)).toEqual([]);
  });

  test("IRSA, never a key: no credentials Secret, the role's ARN on the server's service account", () => {
    const { values } = synthesized(velero().stack);
    expect(values.credentials).toEqual({ useSecret: false });
    expect(values.serviceAccount.server.name).toBe("velero");
    expect(values.serviceAccount.server.annotations["eks.amazonaws.com/role-arn"]).toMatch(/aws_iam_role/);
  });

  test("one backup location and one snapshot location, as the lists chart 4+ takes, in the bucket with its key", () => {
    const { values } = synthesized(velero().stack);
    expect(values.configuration.backupStorageLocation).toEqual([
      { name: "default", provider: "aws", bucket: STORAGE.bucketName, prefix: "velero", default: true, accessMode: "ReadWrite", config: { region: "eu-west-1", kmsKeyId: STORAGE.bucketKeyArn } },
    ]);
    expect(values.configuration.volumeSnapshotLocation).toEqual([{ name: "default", provider: "aws", config: { region: "eu-west-1" } }]);
    expect(values.deployNodeAgent).toBe(false);
    expect(values.upgradeCRDs).toBe(false);
  });

  test("each configured schedule becomes a chart Schedule with its cron and its retention as the TTL", () => {
    const { values } = synthesized(velero().stack);
    expect(values.schedules).toEqual({
      "every-6h": { schedule: "0 */6 * * *", useOwnerReferencesInBackup: false, template: { ttl: "336h0m0s", includedNamespaces: ["*"], excludedNamespaces: [], snapshotVolumes: true, storageLocation: "default", volumeSnapshotLocations: ["default"] } },
      weekly: { schedule: "30 3 * * SUN", useOwnerReferencesInBackup: false, template: { ttl: "2160h0m0s", includedNamespaces: ["payments"], excludedNamespaces: [], snapshotVolumes: true, storageLocation: "default", volumeSnapshotLocations: ["default"] } },
    });
  });

  test("on the system nodes, hardened, sized", () => {
    const { values } = synthesized(velero().stack);
    expect(values.tolerations).toEqual([{ key: "CriticalAddonsOnly", operator: "Exists" }]);
    expect(values.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions).toEqual([{ key: "eks.amazonaws.com/capacityType", operator: "In", values: ["ON_DEMAND"] }]);
    for (const ctx of [values.containerSecurityContext, values.initContainers[0].securityContext]) {
      expect(ctx).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    }
    expect(values.resources).toEqual({ requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } });
  });

  describe("its IRSA role", () => {
    const statements = policyStatements(JSON.parse(Testing.synth(velero().stack))).filter((s) => !s.actions.some((a: string) => a.startsWith("sts:")));
    const bySid = Object.fromEntries(statements.map((s) => [s.sid, s]));

    test("uses the backups bucket and its key (through S3) only", () => {
      const s3 = statements.filter((s) => s.actions.some((a: string) => a.startsWith("s3:")));
      expect(s3.flatMap((s) => s.resources).sort()).toEqual([STORAGE.bucketArn, `${STORAGE.bucketArn}/*`]);
      expect(bySid.BackupsKeyThroughS3).toMatchObject({ resources: [STORAGE.bucketKeyArn], condition: [{ test: "StringEquals", variable: "kms:ViaService", values: ["s3.eu-west-1.amazonaws.com"] }] });
    });

    test("no EC2 action but the two Describe calls is granted on every resource, and each is bound by a tag or the create call", () => {
      const wide = statements.filter((s) => s.resources.includes("*")).flatMap((s) => s.actions);
      expect(wide.sort()).toEqual(["ec2:DescribeSnapshots", "ec2:DescribeVolumes"]);
      for (const s of statements.filter((x) => x.actions.some((a: string) => a.startsWith("ec2:") && !a.startsWith("ec2:Describe")))) {
        expect({ sid: s.sid, conditions: (s.condition ?? []).length > 0 }).toEqual({ sid: s.sid, conditions: true });
      }
      expect(bySid.SnapshotDriverVolumes.condition).toEqual([{ test: "StringEquals", variable: "ec2:ResourceTag/ebs.csi.aws.com/cluster", values: ["true"] }]);
      expect(bySid.DeleteVeleroSnapshots.condition).toEqual([{ test: "Null", variable: "ec2:ResourceTag/velero.io/backup", values: ["false"] }]);
      expect(bySid.TagOnCreateOnly.condition).toEqual([{ test: "StringEquals", variable: "ec2:CreateAction", values: ["CreateSnapshot", "CreateVolume"] }]);
    });
  });

  test.each([
    ["a cron it cannot measure (a day of month)", { schedules: { monthly: { cron: "0 2 1 * *", retentionDays: 30 } } }, "schedules.monthly.cron"],
    ["no schedule", { schedules: {} }, "schedules"],
    ["a retention of 0 days", { schedules: { nightly: { cron: "0 2 * * *", retentionDays: 0 } } }, "schedules.nightly.retentionDays"],
    ["a schedule name that is not a label", { schedules: { Nightly: { cron: "0 2 * * *", retentionDays: 7 } } }, "schedules.Nightly"],
  ])("fails with %s", (_what, props, path) => {
    expect(() => velero(props as Partial<VeleroProps>)).toThrow(new RegExp(`${path.replace(/\./g, "\\.")}: got`));
  });
});

describe("VeleroMonitoring", () => {
  test("a ServiceMonitor on the chart's metrics Service and the alerts, after the monitoring CRDs (a later stack)", () => {
    const { app, addon } = velero();
    const monitoring = new TerraformStack(app, "observability");
    const kps = new KubePrometheusStack(monitoring, "KubePrometheusStack", { cluster: fakeCluster(), storageClassName: "gp3" });
    const resources = new TerraformStack(app, "observability-resources");
    new VeleroMonitoring(resources, "VeleroMonitoring", { velero: addon, installedBy: kps, rpoHours: 6 });
    const manifests = Object.values(JSON.parse(Testing.synth(resources)).resource.kubernetes_manifest) as Array<{ manifest: Record<string, any> }>;
    const byKind = Object.fromEntries(manifests.map((m) => [m.manifest.kind, m.manifest]));
    expect(byKind.ServiceMonitor.spec.selector).toEqual({ matchLabels: { "app.kubernetes.io/name": "velero", "app.kubernetes.io/instance": "velero" } });
    expect(byKind.ServiceMonitor.spec.endpoints[0].port).toBe("http-monitoring");
    const alerts = byKind.PrometheusRule.spec.groups[0].rules.map((r: { alert: string }) => r.alert);
    expect(alerts).toEqual(["VeleroBackupFailed", "VeleroBackupOlderThanRpo", "VeleroScheduleNeverSucceeded", "VeleroServerAbsent"]);
    expect(byKind.PrometheusRule.spec.groups[0].rules[1].expr).toContain("> 21600");
  });
});
