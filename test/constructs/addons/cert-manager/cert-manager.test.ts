import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import { App, Testing, TerraformStack } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { parse } from "yaml";
import { CERT_MANAGER_DEFAULTS, CertManager, CertManagerProps } from "../../../../constructs/addons/cert-manager/cert-manager";
import { fakeCluster, policyStatements } from "../fake-cluster";

type Json = Record<string, any>;

function build(props: Partial<CertManagerProps> = {}, app: App = Testing.app()) {
  const stack = new TerraformStack(app, "security");
  const addon = new CertManager(stack, "CertManager", { cluster: fakeCluster(), ...props });
  const tf = JSON.parse(Testing.synth(stack)) as Json;
  const release = Object.values(tf.resource.helm_release as Json)[0] as Json;
  return { app, stack, addon, tf, release, values: parse(release.values[0]) as Json };
}

const ZONES = [
  { zoneId: "Z0123456789ABCDEFGHIJ", domain: "platform.example.com" },
  { zoneId: "Z0KLMNOPQRSTUVWXYZ012", domain: "example.org" },
];

/** The chart's own values schema (v1.21.1, `additionalProperties: false` at every level): a misspelt or removed key fails. */
const chartSchema = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "cert-manager-v1.21.1.values.schema.json"), "utf8"));
const validateChartValues = new Ajv({ strict: false, allErrors: true }).compile(chartSchema);

/** Each component's values, from the root its chart keys live under. */
const components = (values: Json) => ({ controller: values, webhook: values.webhook, cainjector: values.cainjector });

describe("CertManager", () => {
  test("pins the jetstack chart v1.21.1 in cert-manager's namespace and installs the CRDs with the release", () => {
    const { tf, values } = build();
    expect(JSON.stringify(tf)).toHaveResourceWithProperties(Release, { chart: "cert-manager", repository: "https://charts.jetstack.io", version: "v1.21.1", namespace: "cert-manager", name: "cert-manager" });
    expect(CERT_MANAGER_DEFAULTS.version).toBe("v1.21.1");
    expect(values.crds).toEqual({ enabled: true, keep: true });
    expect(values.installCRDs).toBeUndefined(); // deprecated twin of crds.enabled
    expect(values.global.leaderElection).toEqual({ namespace: "cert-manager" });
  });

  test("every value is a key of the pinned chart's values schema (no, one and several DNS zones, HA)", () => {
    const shapes: Array<Partial<CertManagerProps>> = [{}, { route53HostedZones: ZONES }, { controller: { replicas: 2 }, webhook: { replicas: 3 }, cainjector: { replicas: 2 }, spreadAcrossZones: true }];
    for (const props of shapes) {
      const { values } = build(props);
      const ok = validateChartValues(values);
      expect(validateChartValues.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    }
    // The schema really is strict: a misspelt key is refused.
    expect(validateChartValues({ ...build().values, replicas: 2 })).toBe(false);
  });

  test("every component runs with the platform's hardened contexts as the image's user (65532), on the system nodes", () => {
    const { values } = build();
    for (const [name, c] of Object.entries({ ...components(values), startupapicheck: values.startupapicheck })) {
      expect({ name, pod: c.securityContext }).toEqual({
        name,
        pod: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: "RuntimeDefault" } },
      });
      expect({ name, container: c.containerSecurityContext }).toEqual({
        name,
        container: {
          allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true, runAsNonRoot: true,
          runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: "RuntimeDefault" },
        },
      });
      expect(c.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions).toEqual([
        { key: "eks.amazonaws.com/capacityType", operator: "In", values: ["ON_DEMAND"] },
      ]);
      expect(c.tolerations).toEqual([{ key: "CriticalAddonsOnly", operator: "Exists" }]);
      expect(c.resources.limits.memory).toMatch(/^\d+Mi$/);
    }
    expect(values.startupapicheck.containerSecurityContext.readOnlyRootFilesystem).toBe(true);
    expect(values.startupapicheck.resources.limits.memory).toBeDefined();
  });

  test("one replica each by default: no disruption budget (it would block every drain) and no spread", () => {
    const { values } = build();
    for (const c of Object.values(components(values))) {
      expect(c.replicaCount).toBe(1);
      expect(c.podDisruptionBudget).toEqual({ enabled: false });
      expect(c.topologySpreadConstraints).toEqual([]);
    }
  });

  test("replicated components get a disruption budget and a zone spread selecting their own pods", () => {
    const { values } = build({ controller: { replicas: 2 }, webhook: { replicas: 3 }, cainjector: { replicas: 2, resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { memory: "2Gi" } } }, spreadAcrossZones: true });
    const expected = { controller: [2, "cert-manager"], webhook: [3, "webhook"], cainjector: [2, "cainjector"] } as const;
    for (const [name, c] of Object.entries(components(values))) {
      const [replicas, appName] = expected[name as keyof typeof expected];
      expect({ name, replicas: c.replicaCount, pdb: c.podDisruptionBudget }).toEqual({ name, replicas, pdb: { enabled: true, minAvailable: 1 } });
      expect(c.topologySpreadConstraints).toEqual([
        {
          maxSkew: 1,
          topologyKey: "topology.kubernetes.io/zone",
          whenUnsatisfiable: "DoNotSchedule",
          labelSelector: { matchLabels: { "app.kubernetes.io/name": appName, "app.kubernetes.io/instance": "cert-manager", "app.kubernetes.io/component": name } },
        },
      ]);
    }
    expect(values.cainjector.resources).toEqual({ requests: { cpu: "1", memory: "1Gi" }, limits: { memory: "2Gi" } });
  });

  test("metrics Services are on, the chart's ServiceMonitor off (its CRD comes later, from kube-prometheus-stack)", () => {
    const { values } = build();
    expect(values.prometheus).toEqual({ enabled: true, servicemonitor: { enabled: false }, podmonitor: { enabled: false } });
  });

  test("no IAM role at all without DNS zones (in-cluster CA, AWS Private CA)", () => {
    const { tf, values, addon } = build();
    expect(tf.resource.aws_iam_role).toBeUndefined();
    expect(tf.resource.aws_iam_policy).toBeUndefined();
    expect(values.serviceAccount).toBeUndefined();
    expect(addon.addon.irsaRole).toBeUndefined();
  });

  test("with DNS zones, the controller's role writes only _acme-challenge TXT records of those zones", () => {
    const { tf, values } = build({ route53HostedZones: ZONES });
    expect(values.serviceAccount).toEqual({ name: "cert-manager", annotations: { "eks.amazonaws.com/role-arn": expect.stringMatching(/^\$\{aws_iam_role\./) } });
    const trust = policyStatements(tf).find((s) => s.actions.includes("sts:AssumeRoleWithWebIdentity"))!;
    expect(trust.condition[0].values).toEqual(["system:serviceaccount:cert-manager:cert-manager"]);
    const statements = policyStatements(tf).filter((s) => !s.actions.some((a: string) => a.startsWith("sts:")));
    expect(statements).toEqual([
      {
        sid: "WriteAcmeChallengeRecordsOnly",
        actions: ["route53:ChangeResourceRecordSets"],
        resources: ["arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ", "arn:aws:route53:::hostedzone/Z0KLMNOPQRSTUVWXYZ012"],
        condition: [
          { test: "ForAllValues:StringEquals", variable: "route53:ChangeResourceRecordSetsRecordTypes", values: ["TXT"] },
          { test: "ForAllValues:StringEquals", variable: "route53:ChangeResourceRecordSetsActions", values: ["UPSERT", "DELETE"] },
          {
            test: "ForAllValues:StringLike",
            variable: "route53:ChangeResourceRecordSetsNormalizedRecordNames",
            values: ["_acme-challenge.platform.example.com", "_acme-challenge.*.platform.example.com", "_acme-challenge.example.org", "_acme-challenge.*.example.org"],
          },
        ],
      },
      { sid: "WatchOwnChangesPropagate", actions: ["route53:GetChange"], resources: ["arn:aws:route53:::change/*"] },
    ]);
    // Every solver names its zone, so neither zone listing nor record listing is granted.
    expect(JSON.stringify(statements)).not.toMatch(/ListHostedZones|ListResourceRecordSets/);
    // The only wildcard resource is the change id, which is unknown in advance.
    const wildcards = statements.flatMap((s) => s.resources as string[]).filter((r) => r.includes("*"));
    expect(wildcards).toEqual(["arn:aws:route53:::change/*"]);
  });

  test("the release waits for the role's policy attachment", () => {
    const { release } = build({ route53HostedZones: ZONES });
    expect(release.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_iam_role_policy_attachment\./)]));
  });

  const rules: Array<[string, Partial<CertManagerProps>, RegExp]> = [
    ["a component has no replica", { webhook: { replicas: 0 } }, /security\/CertManager: webhook\.replicas: got 0; allowed: a whole number, at least 1/],
    ["a hosted zone id has the /hostedzone/ prefix", { route53HostedZones: [{ zoneId: "/hostedzone/Z0123456789", domain: "example.com" }] }, /route53HostedZones\[0\]\.zoneId: got "\/hostedzone\/Z0123456789"; allowed: a Route 53 hosted zone id/],
    ["a zone is given twice", { route53HostedZones: [ZONES[0]!, { ...ZONES[0]!, domain: "other.example.com" }] }, /route53HostedZones\[1\]\.zoneId: got "Z0123456789ABCDEFGHIJ"; allowed: each zone once/],
    ["a domain is a wildcard", { route53HostedZones: [{ zoneId: "Z0123456789", domain: "*.example.com" }] }, /route53HostedZones\[0\]\.domain: got "\*\.example\.com"; allowed: a lowercase DNS zone name/],
    ["a domain has a trailing dot", { route53HostedZones: [{ zoneId: "Z0123456789", domain: "example.com." }] }, /route53HostedZones\[0\]\.domain: got "example\.com\."/],
    ["a domain is given for two zones", { route53HostedZones: [ZONES[0]!, { ...ZONES[1]!, domain: ZONES[0]!.domain }] }, /route53HostedZones\[1\]\.domain: got "platform\.example\.com"; allowed: each domain once/],
    ["the system node labels are empty", { systemNodePlacement: { nodeLabels: {} } }, /systemNodePlacement\.nodeLabels: got \{\}/],
    ["a caller renames the service account the role trusts", { route53HostedZones: ZONES, values: { serviceAccount: { name: "other" } } }, /values\.serviceAccount\.name: got "other"; allowed: "cert-manager"/],
  ];
  test.each(rules)("fails when %s", (_name, props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});
