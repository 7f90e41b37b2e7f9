/**
 * The stacks of every environment, read from the app as `npm run synth` writes it (synthesized once per jest
 * run, test/support/synthesized-app.ts): backends, providers, cross-stack wiring, and the security rules that
 * hold across every stack. Snapshots are in snapshots.test.ts; the named properties in invariants.test.ts.
 */
import { ENVIRONMENTS } from "../../environments";
import { LAYERS } from "../../stacks/environment-stack";
import { synthesizedManifest, synthesizedStack } from "../support/synthesized-app";
import { MONITORING_SELECTOR_LABELS } from "../../lib/observability/monitoring-selection";

type Json = Record<string, any>;

const synth = (id: string): Json => synthesizedStack(id);
const allStacks = ENVIRONMENTS.flatMap((c) => LAYERS.map((l) => `${c.name}-${l}`));

/** Every object of a given resource (or data) type across a synthesized stack. */
function all(tf: Json, kind: "resource" | "data", type: string): Json[] {
  return Object.values(tf[kind]?.[type] ?? {}) as Json[];
}

test("the app has exactly the layers of every environment", () => {
  expect(Object.keys(synthesizedManifest().stacks).sort()).toEqual([...allStacks].sort());
});

describe.each(ENVIRONMENTS.map((c) => [c.name, c] as const))("%s", (env, config) => {
  const stacks = Object.fromEntries(LAYERS.map((l) => [l, `${env}-${l}`])) as Record<(typeof LAYERS)[number], string>;

  test.each(LAYERS.map((l) => [l]))("%s stack keeps its own state object, in the environment's bucket, under its key, as its deploy role", (layer) => {
    const tf = synth(stacks[layer]);
    expect(tf.terraform.backend.s3).toEqual(
      expect.objectContaining({
        bucket: config.backend.bucket,
        key: `${config.backend.keyPrefix}/${env}-${layer}.tfstate`,
        encrypt: true,
        kms_key_id: config.backend.kmsKeyId,
        use_lockfile: true,
        assume_role: expect.objectContaining({ role_arn: config.iam.deployRoleArn }),
        allowed_account_ids: [config.account],
      }),
    );
    // use_lockfile needs Terraform 1.10; an older binary would ignore it and run unlocked.
    expect(tf.terraform.required_version).toBe(">= 1.10.0");
  });

  test("remote-state reads of the layers below use the same bucket, key and role, never another environment's", () => {
    for (const layer of LAYERS) {
      for (const remote of Object.values(synth(stacks[layer]).data?.terraform_remote_state ?? {}) as Json[]) {
        expect(remote.config).toEqual(
          expect.objectContaining({ bucket: config.backend.bucket, kms_key_id: config.backend.kmsKeyId, assume_role: expect.objectContaining({ role_arn: config.iam.deployRoleArn }) }),
        );
        expect(remote.config.key).toMatch(new RegExp(`^${config.backend.keyPrefix}/${env}-`));
      }
    }
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
    expect(deps(stacks["platform-resources"])).toEqual([`${env}-cluster`, `${env}-platform`]);
    expect(deps(stacks.security)).toEqual([`${env}-cluster`, `${env}-platform-resources`]);
    expect(deps(stacks["security-resources"])).toEqual([`${env}-cluster`, `${env}-security`]);
    // Where the environment traces, Tempo writes to the storage layer's traces bucket (a cross-stack reference).
    const tracesBucket = config.observability.tracing?.enabled ? [`${env}-storage`] : [];
    expect(deps(stacks.observability)).toEqual([`${env}-cluster`, `${env}-platform-resources`, `${env}-security-resources`, ...tracesBucket]);
    // Chaos engines and experiments are Litmus custom resources, the canaries' AnalysisTemplates Argo Rollouts ones:
    // where the environment runs either, the layer also waits for the platform layer, whose litmus-core and
    // argo-rollouts releases install their CRDs.
    const chaos = (config.chaos.litmus.targets ?? []).length > 0 && config.chaos.litmus.optIn !== undefined;
    const canaries = config.delivery.rollouts.enabled && config.delivery.canaries.length > 0;
    expect(deps(stacks["observability-resources"])).toEqual([`${env}-cluster`, `${env}-observability`, ...(chaos || canaries ? [`${env}-platform`] : [])]);
  });

  test("custom resources live only in -resources layers, never beside the release that installs their CRD", () => {
    const crdCharts: Record<string, RegExp> = {
      "karpenter.sh": /^karpenter$/,
      "karpenter.k8s.aws": /^karpenter$/,
      "external-secrets.io": /^external-secrets$/,
      "monitoring.coreos.com": /^kube-prometheus-stack$/,
      "cert-manager.io": /^cert-manager$/,
      "awspca.cert-manager.io": /^aws-privateca-issuer$/,
      "security.istio.io": /^base$/,
      "networking.istio.io": /^base$/,
      "litmuschaos.io": /^litmus-core$/,
      "argoproj.io": /^argo-(cd|rollouts)$/,
    };
    const releasesBy = new Map(LAYERS.map((l) => [l, all(synth(stacks[l]), "resource", "helm_release").map((r) => String(r.chart))]));
    // Core kinds the Kubernetes provider has no typed resource for: no CRD to wait for, so they live in any layer.
    const coreKinds = new Set(["admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy", "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding"]);
    let checked = 0;
    for (const layer of LAYERS) {
      for (const m of all(synth(stacks[layer]), "resource", "kubernetes_manifest")) {
        if (coreKinds.has(`${m.manifest.apiVersion}/${m.manifest.kind}`)) continue;
        checked++;
        expect(layer).toMatch(/-resources$/);
        const chart = crdCharts[String(m.manifest.apiVersion).split("/")[0]!]!;
        expect(releasesBy.get(layer)!.some((c) => chart.test(c))).toBe(false);
        // The layer that installs the CRD is one this layer depends on.
        const installer = LAYERS.find((l) => releasesBy.get(l)!.some((c) => chart.test(c)))!;
        expect(synthesizedManifest().stacks[stacks[layer]]!.dependencies).toContain(`${env}-${installer}`);
      }
    }
    expect(checked).toBeGreaterThanOrEqual(4); // a store, two ExternalSecrets, the SLO rules (and node pools where Karpenter runs)
  });

  test("the compiled SLOs are a PrometheusRule the platform's Prometheus selects", () => {
    const rules = all(synth(stacks["observability-resources"]), "resource", "kubernetes_manifest").map((m) => m.manifest).filter((m) => m.kind === "PrometheusRule" && m.metadata.name === `${env}-slos`);
    expect(rules.map((r) => [r.kind, r.metadata.name])).toEqual([["PrometheusRule", `${env}-slos`]]);
    const values = JSON.parse(JSON.stringify(require("yaml").parse(all(synth(stacks.observability), "resource", "helm_release").find((r) => r.chart === "kube-prometheus-stack")!.values[0])));
    const selector = values.prometheus.prometheusSpec.ruleSelector.matchLabels;
    expect(selector).toEqual(MONITORING_SELECTOR_LABELS);
    expect(rules[0].metadata.labels).toEqual(expect.objectContaining(selector));
    expect(values.prometheus.prometheusSpec.ruleNamespaceSelector).toEqual({});
  });

  test("the platform issuer is the environment's: in-cluster CA, Let's Encrypt (its directory) or AWS Private CA", () => {
    // The layer also holds the mesh's policies: certificate objects are picked by their API group.
    const objects = all(synth(stacks["security-resources"]), "resource", "kubernetes_manifest").map((m) => m.manifest).filter((m) => /(^|\.)cert-manager\.io\//.test(m.apiVersion));
    const issuer = config.security.certManager.issuer;
    const platform = objects.find((o) => o.metadata.name === "platform")!;
    const expectedKind = { selfSignedCA: "ClusterIssuer", acme: "ClusterIssuer", awsPrivateCA: "AWSPCAClusterIssuer" }[issuer.type];
    expect(platform.kind).toBe(expectedKind);
    if (issuer.type === "selfSignedCA") {
      expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(["Certificate/platform-root-ca", "ClusterIssuer/platform", "ClusterIssuer/selfsigned-bootstrap"]);
      expect(objects.find((o) => o.kind === "Certificate")!.spec.commonName).toBe(issuer.commonName);
    }
    if (issuer.type === "acme") {
      expect(platform.spec.acme.server).toMatch(issuer.server === "staging" ? /^https:\/\/acme-staging-v02\.api\.letsencrypt\.org\// : /^https:\/\/acme-v02\.api\.letsencrypt\.org\//);
      expect(platform.spec.acme.email).toBe(issuer.email);
      expect(platform.spec.acme.solvers.map((s: Json) => [s.selector.dnsZones[0], s.dns01.route53.hostedZoneID, s.dns01.route53.region])).toEqual(
        issuer.hostedZones.map((z) => [z.domain, z.zoneId, config.region]),
      );
    }
  });

  test("cert-manager's role exists exactly when its issuer solves DNS-01, and may change only the configured zones", () => {
    const tf = synth(stacks.security);
    const issuer = config.security.certManager.issuer;
    const roles = all(tf, "resource", "aws_iam_role").map((r) => String(r.description));
    expect(roles.filter((d) => d.includes("cert-manager/cert-manager"))).toHaveLength(issuer.type === "acme" ? 1 : 0);
    expect(roles.filter((d) => d.includes("cert-manager/aws-privateca-issuer"))).toHaveLength(issuer.type === "awsPrivateCA" ? 1 : 0);
    const resources = all(tf, "data", "aws_iam_policy_document").flatMap((d) => (d.statement as Json[]).filter((s) => !s.actions.includes("sts:AssumeRoleWithWebIdentity")).flatMap((s) => s.resources as string[]));
    const zones = issuer.type === "acme" ? issuer.hostedZones.map((z) => z.zoneId) : [];
    expect(resources.filter((r) => r.includes(":hostedzone/")).map((r) => r.split("/").pop()).sort()).toEqual([...zones].sort());
    expect(resources.filter((r) => r.includes("*"))).toEqual(issuer.type === "acme" ? [expect.stringMatching(/:route53:::change\/\*$/)] : []);
  });

  test("cert-manager's sizes come from the environment, every component is restricted, and its metrics are scraped once the monitoring CRDs exist", () => {
    const release = all(synth(stacks.security), "resource", "helm_release").find((r) => r.chart === "cert-manager")!;
    const values = require("yaml").parse(release.values[0]);
    const c = config.security.certManager;
    expect([values.replicaCount, values.webhook.replicaCount, values.cainjector.replicaCount]).toEqual([c.controller.replicas, c.webhook.replicas, c.cainjector.replicas]);
    expect(values.webhook.resources).toEqual(c.webhook.resources);
    for (const [name, component] of [["controller", values], ["webhook", values.webhook], ["cainjector", values.cainjector], ["startupapicheck", values.startupapicheck]] as const) {
      expect({ name, pod: component.securityContext, container: component.containerSecurityContext }).toEqual({
        name,
        pod: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: "RuntimeDefault" } },
        container: {
          allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true, runAsNonRoot: true,
          runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: "RuntimeDefault" },
        },
      });
    }
    expect(release.create_namespace).toBe(false);
    // The namespace baseline's namespace (default-deny, quota and limits with it).
    const [nsId, ns] = Object.entries(synth(stacks.security).resource.kubernetes_namespace_v1 as Record<string, Json>).find(([, n]) => n.metadata.name === "cert-manager")!;
    expect(release.depends_on).toEqual(expect.arrayContaining([`kubernetes_namespace_v1.${nsId}`]));
    // On the system node group, whatever its capacity type (dev's is spot), as the other platform controllers.
    expect(values.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions).toEqual([
      { key: "sre-platform.io/node-role", operator: "In", values: ["system"] },
    ]);
    // Restricted Pod Security enforced on the namespace, and out of the mesh: the API server calls the webhook directly.
    expect(ns.metadata.labels).toEqual(expect.objectContaining({ "pod-security.kubernetes.io/enforce": "restricted", "istio-injection": "disabled" }));
    const monitors = all(synth(stacks["observability-resources"]), "resource", "kubernetes_manifest").filter((m) => m.manifest.kind === "ServiceMonitor" && m.manifest.metadata.namespace === "cert-manager");
    expect(monitors.map((m) => `${m.manifest.metadata.namespace}/${m.manifest.metadata.name}`)).toEqual(["cert-manager/cert-manager"]);
    const alerts = all(synth(stacks["observability-resources"]), "resource", "kubernetes_manifest").filter((m) => m.manifest.kind === "PrometheusRule" && m.manifest.metadata.namespace === "cert-manager");
    expect(alerts.map((m) => m.manifest.metadata.labels)).toEqual([MONITORING_SELECTOR_LABELS]);
  });

  test("Karpenter node pools exactly where the environment runs Karpenter", () => {
    const kinds = all(synth(stacks["platform-resources"]), "resource", "kubernetes_manifest").map((m) => m.manifest.kind);
    const pools = config.platform.karpenter?.nodePools.length ?? 0;
    expect(kinds.filter((k) => k === "NodePool")).toHaveLength(pools);
    expect(kinds.filter((k) => k === "EC2NodeClass")).toHaveLength(pools);
  });

  test("Alertmanager gets the generated routing, reading credentials only from the mounted receivers Secret", () => {
    const values = require("yaml").parse(all(synth(stacks.observability), "resource", "helm_release").find((r) => r.chart === "kube-prometheus-stack")!.values[0]);
    expect(values.alertmanager.alertmanagerSpec.secrets).toEqual(["alertmanager-receivers"]);
    const files = JSON.stringify(values.alertmanager.config).match(/"[a-z_]+_file":"[^"]+"/g) ?? [];
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(f).toMatch(/:"\/etc\/alertmanager\/secrets\/alertmanager-receivers\//);
    const dashboards = all(synth(stacks.observability), "resource", "kubernetes_config_map_v1").map((m) => m.metadata.name).sort();
    expect(dashboards).toEqual(expect.arrayContaining(["dashboard-golden-signals", "dashboard-slo-checkout-api"]));
  });

  test("monitoring sizes come from the environment", () => {
    const values = require("yaml").parse(all(synth(stacks.observability), "resource", "helm_release").find((r) => r.chart === "kube-prometheus-stack")!.values[0]);
    expect(values.prometheus.prometheusSpec.replicas).toBe(config.observability.prometheus.replicas);
    expect(values.alertmanager.alertmanagerSpec.replicas).toBe(config.observability.alertmanager.replicas);
    expect(values.prometheus.prometheusSpec.retention).toBe(config.observability.prometheus.retention);
    expect(values.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.storageClassName).toBe("gp3");
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
    // The cluster grants its creator nothing: the providers authenticate as the CI deploy role, no person's role.
    expect(k8s.exec[0].args.join(" ")).toContain(`--role-arn ${config.iam.deployRoleArn}`);
    for (const person of config.cluster.access) expect(k8s.exec[0].args).not.toContain(person.roleArn);
    expect(helm.exec.args).toEqual(k8s.exec[0].args);
    // The remote state cdktf generated reads the cluster stack's own state object.
    const remote = tf.data.terraform_remote_state[`cross-stack-reference-input-${env}-cluster`];
    expect(remote.config.key).toBe(`${config.backend.keyPrefix}/${env}-cluster.tfstate`);
  });

  test("EFS: the node role may only mount through access points, the controller may only manage access points of this file system", () => {
    const tf = synth(stacks.storage);
    const grants = Object.fromEntries(Object.entries(tf.resource.aws_iam_role_policy as Record<string, Json>).map(([id, g]) => [id.replace(/_[0-9A-F]{8}$/, ""), g]));
    expect(Object.keys(grants).sort()).toEqual(["EfsCsiControllerAccess", "EfsCsiNodeAccess"]);
    const fromCluster = new RegExp(`^\\$\\{data\\.terraform_remote_state\\.cross-stack-reference-input-${env}-cluster\\.outputs\\.`);
    expect(grants.EfsCsiNodeAccess!.role).toMatch(fromCluster);
    expect(grants.EfsCsiControllerAccess!.role).toMatch(fromCluster);
    expect(grants.EfsCsiNodeAccess!.role).not.toBe(grants.EfsCsiControllerAccess!.role);
    const docs = tf.data.aws_iam_policy_document as Record<string, Json>;
    const doc = (prefix: string) => JSON.stringify(Object.entries(docs).find(([id]) => id.startsWith(prefix))![1]);
    expect(doc("EfsClientPolicy")).toMatch(/elasticfilesystem:ClientWrite.*elasticfilesystem:AccessPointArn/);
    expect(doc("EfsClientPolicy")).not.toMatch(/CreateAccessPoint|DeleteAccessPoint/);
    expect(doc("EfsAccessPointPolicy")).toMatch(/elasticfilesystem:CreateAccessPoint/);
    expect(doc("EfsAccessPointPolicy")).not.toMatch(/ClientMount|ClientWrite/);
  });

  test("cluster-admin goes to the CI deploy and break-glass roles only; people and teams get the access config gives them", () => {
    const tf = synth(stacks.cluster);
    const eks = all(tf, "resource", "aws_eks_cluster")[0]!;
    expect(eks.access_config).toEqual(expect.objectContaining({ authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false }));
    const teams = config.security.namespaces.teams;
    const teamRoles = teams.flatMap((t) => [...t.viewRoleArns, ...t.deployRoleArns]);
    expect(teamRoles.length).toBeGreaterThan(0);
    const entries = all(tf, "resource", "aws_eks_access_entry").map((e) => e.principal_arn);
    expect(entries.sort()).toEqual([config.iam.deployRoleArn, config.iam.breakGlassRoleArn, ...config.cluster.access.map((a) => a.roleArn), ...teamRoles].sort());
    const policies = all(tf, "resource", "aws_eks_access_policy_association").map((p) => String(p.policy_arn).replace(/^.*\//, ""));
    const short = { view: "AmazonEKSViewPolicy", edit: "AmazonEKSEditPolicy", admin: "AmazonEKSAdminPolicy" } as const;
    const teamPolicies = teamRoles.map(() => short.view);
    expect(policies.sort()).toEqual(["AmazonEKSClusterAdminPolicy", "AmazonEKSClusterAdminPolicy", ...config.cluster.access.map((a) => short[a.policy]), ...teamPolicies].sort());
  });

  test("a team's roles view only the team's namespaces, and only its deploy roles carry the team's deploy group", () => {
    const tf = synth(stacks.cluster);
    const entryOf = (arn: string) => all(tf, "resource", "aws_eks_access_entry").find((e) => e.principal_arn === arn)!;
    const scopeOf = (arn: string) => all(tf, "resource", "aws_eks_access_policy_association").find((p) => p.principal_arn === `\${aws_eks_access_entry.${Object.entries(tf.resource.aws_eks_access_entry).find(([, e]) => (e as Json).principal_arn === arn)![0]}.principal_arn}`)!.access_scope;
    let checked = 0;
    for (const team of config.security.namespaces.teams) {
      const namespaces = Object.keys(team.namespaces);
      for (const arn of team.viewRoleArns) {
        expect(entryOf(arn).kubernetes_groups).toBeUndefined();
        expect(scopeOf(arn)).toEqual({ type: "namespace", namespaces });
        checked++;
      }
      for (const arn of team.deployRoleArns) {
        expect(entryOf(arn).kubernetes_groups).toEqual([`sre-platform:team:${team.name}:deploy`]);
        expect(scopeOf(arn)).toEqual({ type: "namespace", namespaces });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  test("every new EBS volume of the account is encrypted with the cluster's volume key, and gp2 is no longer default", () => {
    const cluster = synth(stacks.cluster);
    expect(all(cluster, "resource", "aws_ebs_encryption_by_default").map((r) => r.enabled)).toEqual([true]);
    const [defaultKey] = all(cluster, "resource", "aws_ebs_default_kms_key");
    expect(defaultKey!.key_arn).toMatch(/^\$\{aws_kms_key\.Cluster_VolumeKey_[0-9A-F]{8}\.arn\}$/);
    const gp2 = all(synth(stacks.platform), "resource", "kubernetes_annotations").find((a) => a.metadata.name === "gp2")!;
    expect(gp2.annotations).toEqual({ "storageclass.kubernetes.io/is-default-class": "false" });
  });

  test("StorageClasses reclaim volumes as the environment's data says", () => {
    const classes = all(synth(stacks.platform), "resource", "kubernetes_storage_class_v1");
    expect(classes.map((c) => c.metadata.name).sort()).toEqual(["efs", "gp3"]);
    for (const c of classes) expect(c.reclaim_policy).toBe(config.storage.reclaimPolicy);
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
          // VPC endpoint policies grant nothing; they bound traffic by the caller's account, checked below.
          if (String(st.sid).startsWith("Endpoint") && JSON.stringify(st.condition ?? []).match(/aws:Principal(Account|OrgID)/)) continue;
          for (const action of (st.actions ?? []) as string[]) {
            checked++;
            expect({ stack, sid: st.sid, action }).toEqual({ stack, sid: st.sid, action: expect.not.stringMatching(/^(\*|[a-z0-9-]+:\*)$/) });
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  test("every VPC endpoint has a policy bounding it to the account's principals, and S3 to its buckets", () => {
    let endpoints = 0;
    for (const [stack, tf] of tfs) {
      for (const [id, ep] of Object.entries((tf.resource?.aws_vpc_endpoint ?? {}) as Record<string, Json>)) {
        endpoints++;
        const docId = /data\.aws_iam_policy_document\.([^.]+)\.json/.exec(String(ep.policy))?.[1];
        expect({ stack, id, docId }).toEqual({ stack, id, docId: expect.any(String) });
        const text = JSON.stringify(tf.data.aws_iam_policy_document[docId!]);
        expect(text).toMatch(/aws:PrincipalAccount|aws:PrincipalOrgID/);
        if (ep.vpc_endpoint_type === "Gateway") expect(text).toMatch(/aws:ResourceAccount|aws:ResourceOrgID/);
      }
    }
    expect(endpoints).toBeGreaterThan(3);
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

  test("no credential is in any stack: receivers and Grafana's admin come from Secrets Manager through ExternalSecrets", () => {
    for (const [stack, tf] of tfs) {
      expect({ stack, secrets: all(tf, "resource", "kubernetes_secret_v1").length + all(tf, "resource", "kubernetes_secret").length }).toEqual({ stack, secrets: 0 });
      for (const r of all(tf, "resource", "helm_release")) expect({ stack, sensitive: r.set_sensitive }).toEqual({ stack, sensitive: undefined });
      expect({ stack, inline: JSON.stringify(tf).match(/(routing_key|api_url|auth_password|adminPassword)\W+[:=]/g) }).toEqual({ stack, inline: null });
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
