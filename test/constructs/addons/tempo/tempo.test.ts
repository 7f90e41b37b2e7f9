import * as fs from "node:fs";
import * as path from "node:path";
import { Testing, TerraformStack } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { parse } from "yaml";
import { Tempo, TEMPO_CHART_VERSION, TempoProps, validateTempoProps } from "../../../../constructs/addons/tempo/tempo";
import { tempoAddon } from "../../../../constructs/addons/tempo/addon";
import { fakeCluster, policyStatements, unknownTopLevelKeys } from "../fake-cluster";
import { helmCoalesce } from "../support/helm-merge";

const ROOT = path.resolve(__dirname, "../../../..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
const FIXTURE = `tempo-${TEMPO_CHART_VERSION}.values.yaml`;
const chartDefaults = () => parse(read(`test/fixtures/helm-values/${FIXTURE}`)) as Record<string, any>;
const BUCKET = { bucketName: "dev-platform-traces-abc", bucketArn: "arn:aws:s3:::dev-platform-traces-abc", keyArn: "arn:aws:kms:eu-west-1:111122223333:key/0b7c2a5e-1f3d-4c8e-9a6b-2d4f6e8a0c1e" };

function build(props: Partial<TempoProps> = {}) {
  const stack = new TerraformStack(Testing.app(), "test");
  const tempo = new Tempo(stack, "Tempo", { cluster: fakeCluster(), bucket: BUCKET, region: "eu-west-1", ...props });
  const json = Testing.synth(stack);
  const tf = JSON.parse(json);
  const release = Object.values(tf.resource.helm_release)[0] as { values: string[]; depends_on?: string[] };
  return { tempo, json, tf, release, values: parse(release.values[0]!) as Record<string, any> };
}

describe("Tempo", () => {
  test("pins grafana-community's tempo chart 2.2.4 into its namespace, Tempo's image at the chart's appVersion", () => {
    const { json, values } = build();
    expect(json).toHaveResourceWithProperties(Release, { name: "tempo", chart: "tempo", repository: "https://grafana-community.github.io/helm-charts", version: "2.2.4", namespace: "tempo" });
    expect(values.tempo).toMatchObject({ registry: "docker.io", repository: "grafana/tempo", tag: "2.10.8" });
    // The tag is the chart's appVersion (the fixture's Chart is the same release).
    expect(read("test/fixtures/helm-values/SOURCES.md")).toContain(`| ${FIXTURE} |`);
    expect(tempoAddon.repositories).toEqual(["docker.io/grafana/tempo"]);
  });

  test("writes only keys the chart has", () => {
    expect(unknownTopLevelKeys(build().values, Object.keys(chartDefaults()))).toEqual([]);
    const tempoKeys = Object.keys(chartDefaults().tempo);
    expect(Object.keys(build().values.tempo).filter((k) => !tempoKeys.includes(k))).toEqual([]);
  });

  test("stores traces in the given bucket through the role, keeps them retentionDays, and reports no usage", () => {
    const { values } = build({ retentionDays: 7 });
    expect(values.tempo.storage.trace).toMatchObject({ backend: "s3", s3: { bucket: BUCKET.bucketName, endpoint: "s3.eu-west-1.amazonaws.com", region: "eu-west-1" } });
    // No credential in the configuration: IRSA's web identity.
    expect(JSON.stringify(values.tempo.storage)).not.toMatch(/access_key|secret_key/);
    expect(values.tempo.retention).toBe("168h");
    expect(values.tempo.reportingEnabled).toBe(false);
    // The chart's template puts the retention where the compactor reads it.
    expect(chartDefaults().config).toContain("block_retention: {{ .Values.tempo.retention }}");
  });

  test("its role is trusted by the tempo service account only and may use the traces bucket and its key through S3, nothing else", () => {
    const { tf, values, release } = build();
    expect(values.serviceAccount).toEqual({ name: "tempo", annotations: { "eks.amazonaws.com/role-arn": expect.stringMatching(/^\$\{aws_iam_role\./) } });
    const trust = policyStatements(tf).find((s) => s.actions.includes("sts:AssumeRoleWithWebIdentity"))!;
    expect(trust.condition[0].values).toEqual(["system:serviceaccount:tempo:tempo"]);
    const statements = policyStatements(tf).filter((s) => !s.actions.some((a: string) => a.startsWith("sts:")));
    expect(statements).toEqual([
      { sid: "ListTraceBlocks", actions: ["s3:ListBucket"], resources: [BUCKET.bucketArn] },
      { sid: "ReadWriteTraceBlocks", actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:GetObjectTagging", "s3:PutObjectTagging"], resources: [`${BUCKET.bucketArn}/*`] },
      {
        sid: "UseTracesKeyThroughS3",
        actions: ["kms:Decrypt", "kms:GenerateDataKey"],
        resources: [BUCKET.keyArn],
        condition: [{ test: "StringEquals", variable: "kms:ViaService", values: ["s3.eu-west-1.amazonaws.com"] }],
      },
    ]);
    expect(statements.flatMap((s) => s.resources as string[]).filter((r) => r === "*")).toEqual([]);
    expect(release.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_iam_role_policy_attachment\./)]));
  });

  test("runs hardened as the image's user with the WAL on a volume, over the chart's own defaults", () => {
    const merged = helmCoalesce(build({ storageClassName: "gp3" }).values, chartDefaults()) as Record<string, any>;
    expect(merged.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } });
    expect(merged.tempo.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    expect(merged.tempo.resources).toEqual({ requests: { cpu: "200m", memory: "1Gi" }, limits: { memory: "2Gi" } });
    // /var/tempo (the WAL) is mounted only with persistence: the root filesystem is read-only.
    expect(merged.persistence).toMatchObject({ enabled: true, size: "10Gi", storageClassName: "gp3" });
    expect(merged.tempo.storage.trace.wal.path.startsWith("/var/tempo/")).toBe(true);
    expect(merged.serviceMonitor.enabled).toBe(false);
    expect(merged.replicas).toBe(1);
  });

  test("on the system nodes", () => {
    const { values } = build();
    expect(values.tolerations).toEqual([{ key: "CriticalAddonsOnly", operator: "Exists" }]);
    expect(values.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions).toEqual([
      { key: "eks.amazonaws.com/capacityType", operator: "In", values: ["ON_DEMAND"] },
    ]);
  });

  test("names the endpoints the collector and Grafana use", () => {
    const { tempo } = build();
    expect(tempo.otlpEndpoint).toBe("tempo.tempo.svc.cluster.local:4317");
    expect(tempo.queryUrl).toBe("http://tempo.tempo.svc.cluster.local:3200");
  });

  describe("validateTempoProps", () => {
    test("fails when the retention is not whole days from 1 to 365", () => {
      expect(validateTempoProps({ retentionDays: 0 })).toEqual([expect.objectContaining({ path: "retentionDays", value: 0 })]);
      expect(validateTempoProps({ retentionDays: 1.5 })).toEqual([expect.objectContaining({ path: "retentionDays" })]);
      expect(validateTempoProps({ retentionDays: 400 })).toEqual([expect.objectContaining({ path: "retentionDays" })]);
    });
    test("fails when the container is given a CPU limit", () => {
      expect(validateTempoProps({ resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "2", memory: "2Gi" } } })).toEqual([expect.objectContaining({ path: "resources.limits.cpu" })]);
    });
    test("fails when the WAL volume is not whole GiB", () => {
      expect(validateTempoProps({ walStorageGiB: 0 })).toEqual([expect.objectContaining({ path: "walStorageGiB" })]);
    });
    test("fails when the region is not a region", () => {
      expect(validateTempoProps({ region: "Ireland" })).toEqual([expect.objectContaining({ path: "region", value: "Ireland" })]);
    });
    test("the constructor throws one error naming the field", () => {
      expect(() => build({ retentionDays: 0 })).toThrow(/retentionDays/);
    });
  });
});
