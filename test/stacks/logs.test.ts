/**
 * Logs as the synthesized environments stand: the two log groups in the observability stack with each environment's
 * retention and one key, the logging namespace's baseline before them, Fluent Bit scraped with its alerts after the
 * monitoring CRDs; and an environment that turns logs off builds none of it and needs no logging namespace.
 */
import { Testing } from "cdktf";
import { ENVIRONMENTS } from "../../environments";
import { dev } from "../../environments/dev";
import type { EnvironmentConfig } from "../../lib/config/environment-schema";
import { addonConfigProblems } from "../../stacks/addon-config";
import { buildEnvironmentWithAddons } from "../../stacks/environment-stacks";
import { fluentBitAddon } from "../../constructs/addons/fluent-bit/addon";
import { synthesizedStack } from "../support/synthesized-app";

type Json = Record<string, any>;
const manifests = (tf: Json): Json[] => Object.values<Json>(tf.resource?.kubernetes_manifest ?? {}).map((r) => r.manifest);

describe.each(ENVIRONMENTS.map((c) => [c.name, c] as const))("%s logs", (env, config) => {
  const observability = synthesizedStack(`${env}-observability`);

  test("both log groups, with the environment's retention, encrypted with the one key whose policy names them", () => {
    // The cluster's two groups (prod's layer also holds Amazon Managed Prometheus's, with a key of its own).
    const groups = Object.values<Json>(observability.resource.aws_cloudwatch_log_group).filter((g) => g.name.startsWith("/aws/eks/"));
    const logs = config.observability.logs;
    expect(groups.map((g) => [g.name.replace(/\$\{[^}]+\}/, "<cluster>"), g.retention_in_days])).toEqual([
      ["/aws/eks/<cluster>/containers", logs.retentionDays],
      ["/aws/eks/<cluster>/host", logs.hostRetentionDays ?? logs.retentionDays],
    ]);
    const keys = [...new Set(groups.map((g) => g.kms_key_id))];
    expect(keys).toEqual([expect.stringMatching(/^\$\{aws_kms_key\.FluentBit_[^.]+\.arn\}$/)]);
    expect(groups.every((g) => (g.lifecycle?.prevent_destroy ?? false) === config.protection.preventDestroy)).toBe(true);
  });

  test("the logging namespace is baselined before, privileged with the add-on's reason", () => {
    const ns = Object.values<Json>(synthesizedStack(`${env}-platform-resources`).resource.kubernetes_namespace_v1).find((n) => n.metadata.name === "logging")!;
    expect(ns.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("privileged");
    expect(ns.metadata.annotations["sre-platform.io/pod-security-reason"]).toMatch(/^Fluent Bit reads the node's pod logs and journal from host paths \(\/var\/log\/containers, \/var\/log\/pods, \/var\/log\/journal, read-only\)/);
  });

  test("Fluent Bit is scraped, and drops (P2) and lasting retries (P3) alert", () => {
    const logging = manifests(synthesizedStack(`${env}-observability-resources`)).filter((m) => m.metadata.namespace === "logging");
    expect(logging.map((m) => [m.kind, m.metadata.name])).toEqual([["PodMonitor", "fluent-bit"], ["PrometheusRule", "fluent-bit-log-shipping"]]);
    expect(logging[1]!.spec.groups.flatMap((g: Json) => g.rules.map((r: Json) => [r.alert, r.labels.priority]))).toEqual([["FluentBitRecordsDropped", "P2"], ["FluentBitOutputRetrying", "P3"]]);
  });
});

describe("an environment without logs", () => {
  const off = structuredClone(dev) as EnvironmentConfig & { observability: { logs: { enabled: boolean } } };
  off.observability.logs.enabled = false;
  delete (off.security.namespaces.platform as Record<string, unknown>).logging;

  test("needs no logging namespace and builds no Fluent Bit, log group or monitor", () => {
    expect(addonConfigProblems(off)).toEqual([]);
    expect(fluentBitAddon.enabled(off)).toBe(false);
    const { stacks, addons } = buildEnvironmentWithAddons(Testing.app(), off);
    expect(addons.find(fluentBitAddon)).toBeUndefined();
    const observability = JSON.parse(Testing.synth(stacks.observability)) as Json;
    expect(observability.resource.aws_cloudwatch_log_group).toBeUndefined();
    const resources = JSON.parse(Testing.synth(stacks["observability-resources"])) as Json;
    expect(manifests(resources).filter((m) => m.metadata.namespace === "logging")).toEqual([]);
  });

  test("an environment with logs needs the logging namespace's baseline", () => {
    const missing = structuredClone(dev);
    delete (missing.security.namespaces.platform as Record<string, unknown>).logging;
    expect(addonConfigProblems(missing).map((p) => p.path)).toEqual(["security.namespaces.platform.logging"]);
  });
});
