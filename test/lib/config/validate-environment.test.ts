import { ConfigError, validateEnvironment, validateEnvironments } from "../../../lib/config/validate-environment";
import { namesEnvironment } from "../../../lib/config/cross-environment";
import { ENVIRONMENTS } from "../../../environments";
import { staging } from "../../../environments/staging";
import { configErrorLines, type Mutable } from "../../support/config-errors";
import { dev } from "../../../environments/dev";
import { prod } from "../../../environments/prod";

function devWith(mutate: (c: Mutable) => void): unknown {
  const copy = structuredClone(dev) as Mutable;
  mutate(copy);
  return copy;
}

/** Runs validation and returns the one-line messages, as a user would read them. */
const messages = configErrorLines;

describe("validateEnvironment", () => {
  test("accepts the shipped environments unchanged", () => {
    expect(validateEnvironment(dev).problems).toEqual([]);
    expect(validateEnvironment(prod).problems).toEqual([]);
  });

  // One row per validation rule: how to break a valid config, and the message the user must see.
  const rules: Array<[string, (c: Mutable) => void, RegExp]> = [
    ["the VPC CIDR is not a CIDR", (c) => (c.network.vpcCidr = "10.10.0.0/33"), /environment "dev": network\.vpcCidr: got "10\.10\.0\.0\/33"; allowed: an IPv4 CIDR block/],
    ["the VPC CIDR has host bits set", (c) => (c.network.vpcCidr = "10.10.1.0/16"), /network\.vpcCidr: got "10\.10\.1\.0\/16"; allowed: an IPv4 CIDR block .*10\.10\.0\.0\/16/],
    ["the VPC overlaps a reserved network", (c) => (c.network.vpcCidr = "10.0.0.0/16"), /network\.vpcCidr: got "10\.0\.0\.0\/16"; allowed: a range that does not overlap reserved network 10\.0\.0\.0\/16/],
    ["a reserved CIDR is invalid", (c) => (c.network.reservedCidrs = ["nope"]), /network\.reservedCidrs\[0\]: got "nope"; allowed: an IPv4 CIDR block/],
    ["the subnet plan does not fit the VPC", (c) => (c.network.vpcCidr = "10.10.0.0/24"), /network\.vpcCidr: got "10\.10\.0\.0\/24"; allowed: a VPC large enough for public, private and intra subnets in 2 AZs/],
    ["more AZs are asked for than listed", (c) => ((c.network.azCount = 3), (c.availabilityZones = ["eu-west-1a", "eu-west-1b"])), /network\.azCount: got 3; allowed: at most the 2 zones listed in availabilityZones/],
    ["fewer than two AZs are used", (c) => (c.network.azCount = 1), /network\.azCount: got 1; allowed: at least 2/],
    ["an AZ is not in the region", (c) => (c.availabilityZones = ["eu-west-1a", "us-east-1b"]), /availabilityZones\[1\]: got "us-east-1b"; allowed: a zone of region eu-west-1/],
    ["an AZ is listed twice", (c) => (c.availabilityZones = ["eu-west-1a", "eu-west-1a"]), /availabilityZones\[1\]: got "eu-west-1a"; allowed: each zone listed once/],
    ["the EKS version is unsupported", (c) => (c.cluster.kubernetesVersion = "1.24"), /cluster\.kubernetesVersion: got "1\.24"; allowed: one of "1\.32", "1\.33", "1\.34" \(in EKS standard support/],
    ["the EKS version is older than Istio 1.30 supports", (c) => (c.cluster.kubernetesVersion = "1.31"), /cluster\.kubernetesVersion: got "1\.31"; allowed: one of "1\.32", "1\.33", "1\.34" \(.*1\.32 or later for Istio 1\.30\)/],
    ["a node group has min > max", (c) => (c.cluster.nodeGroups[0].minSize = 5), /cluster\.nodeGroups\[0\]\.minSize: got 5; allowed: at most maxSize \(4\)/],
    ["desired size is outside min..max", (c) => (c.cluster.nodeGroups[0].desiredSize = 9), /cluster\.nodeGroups\[0\]\.desiredSize: got 9; allowed: from minSize \(1\) to maxSize \(4\)/],
    ["two node groups share a name", (c) => c.cluster.nodeGroups.push({ ...c.cluster.nodeGroups[0] }), /cluster\.nodeGroups\[1\]\.name: got "general"; allowed: a name no other node group/],
    ["a node group has no instance type", (c) => (c.cluster.nodeGroups[0].instanceTypes = []), /cluster\.nodeGroups\[0\]\.instanceTypes: got \[\]; allowed: at least 1/],
    ["a node label key is invalid", (c) => (c.cluster.nodeGroups[0].labels = { "bad key!": "x" }), /cluster\.nodeGroups\[0\]\.labels\.bad key!: got "bad key!"; allowed: a Kubernetes label key/],
    ["a node label value is invalid", (c) => (c.cluster.nodeGroups[0].labels = { team: "bad value!" }), /cluster\.nodeGroups\[0\]\.labels\.team: got "bad value!"; allowed: a Kubernetes label value/],
    ["a taint value is invalid", (c) => (c.cluster.nodeGroups[0].taints = [{ key: "dedicated", value: "a b", effect: "NO_SCHEDULE" }]), /cluster\.nodeGroups\[0\]\.taints\[0\]\.value: got "a b"; allowed: a Kubernetes taint value/],
    ["cluster and node group names make a node group name EKS refuses", (c) => (c.cluster.name = "a-very-long-cluster-name-for-dev-env"), /cluster\.nodeGroups\[0\]\.name: got "general"; allowed: a name whose node group name prefix "a-very-long-cluster-name-for-dev-env-general-" \(45 characters\) is at most 37/],
    ["a person's role belongs to another account", (c) => (c.cluster.access[0].roleArn = "arn:aws:iam::222222222222:role/platform-admin"), /cluster\.access\[0\]\.roleArn: got "arn:aws:iam::222222222222:role\/platform-admin"; allowed: a role of the environment's own account, 111111111111/],
    ["the deploy role belongs to another account", (c) => (c.iam.deployRoleArn = "arn:aws:iam::333333333333:role/sre-platform-deploy"), /iam\.deployRoleArn: got "arn:aws:iam::333333333333:role\/sre-platform-deploy"; allowed: a role of the environment's own account/],
    ["break-glass is the deploy role", (c) => (c.iam.breakGlassRoleArn = c.iam.deployRoleArn), /iam\.breakGlassRoleArn: got ".*"; allowed: a role other than iam\.deployRoleArn/],
    ["the key admin is the break-glass role", (c) => (c.iam.keyAdminRoleArn = c.iam.breakGlassRoleArn), /iam\.keyAdminRoleArn: got ".*"; allowed: a role other than iam\.breakGlassRoleArn: only break-glass may delete keys/],
    ["a person gets the deploy role's access entry", (c) => (c.cluster.access[0].roleArn = c.iam.deployRoleArn), /cluster\.access\[0\]\.roleArn: got ".*sre-platform-deploy"; allowed: a person's role: the deploy and break-glass roles already hold cluster-admin/],
    ["a person's role is listed twice", (c) => c.cluster.access.push({ ...c.cluster.access[0] }), /cluster\.access\[1\]\.roleArn: got ".*"; allowed: each role once/],
    ["a person would get cluster-admin", (c) => (c.cluster.access[0].policy = "cluster-admin"), /cluster\.access\[0\]\.policy: got "cluster-admin"; allowed: one of "view", "edit", "admin"/],
    ["an access namespace is not a namespace name", (c) => (c.cluster.access[0].namespaces = ["Apps"]), /cluster\.access\[0\]\.namespaces\[0\]: got "Apps"; allowed: a Kubernetes namespace name/],
    ["the state key belongs to another account", (c) => (c.backend.kmsKeyId = "arn:aws:kms:eu-west-1:333333333333:key/1"), /backend\.kmsKeyId: got ".*333333333333.*"; allowed: a key of the environment's own account, 111111111111/],
    ["the state key is in another region than the bucket", (c) => (c.backend.kmsKeyId = "arn:aws:kms:us-east-1:111111111111:key/1"), /backend\.kmsKeyId: got ".*us-east-1.*"; allowed: a key in the state bucket's region, eu-west-1/],
    ["the state is not encrypted with a KMS key of its own", (c) => delete c.backend.kmsKeyId, /backend\.kmsKeyId: got nothing; allowed: a value \(required\)/],
    ["the state key is an alias, not a key ARN", (c) => (c.backend.kmsKeyId = "alias/terraform"), /backend\.kmsKeyId: got "alias\/terraform"; allowed: a KMS key ARN/],
    ["an unprotected environment gives no reason", (c) => delete c.protection.unprotectedReason, /protection\.unprotectedReason: got nothing; allowed: why this environment may be destroyed/],
    ["an unprotected environment's reason is not a reason", (c) => (c.protection.unprotectedReason = "dev"), /protection\.unprotectedReason: got "dev"; allowed: at least 20 \(why this environment may be destroyed, in at least 20 characters\)/],
    ["the public endpoint allows half the internet", (c) => (c.cluster.publicAccessCidrs = ["0.0.0.0/1"]), /cluster\.publicAccessCidrs\[0\]: got "0\.0\.0\.0\/1"; allowed: a network of \/16 or smaller \(a prefix of 16 to 32\)/],
    ["the organisation id is malformed", (c) => (c.network.organizationId = "org-1"), /network\.organizationId: got "org-1"; allowed: an AWS Organizations id/],
    ["the reclaim policy is unknown", (c) => (c.storage.reclaimPolicy = "Recycle"), /storage\.reclaimPolicy: got "Recycle"; allowed: one of "Delete", "Retain"/],
    ["a required tag is missing", (c) => delete c.tags.Owner, /tags\.Owner: got nothing; allowed: a non-empty value; every environment tags Owner, CostCentre, Environment/],
    ["a required tag is blank", (c) => (c.tags.CostCentre = " "), /tags\.CostCentre: got " "; allowed: a non-empty value/],
    ["the Environment tag names another environment", (c) => (c.tags.Environment = "prod"), /tags\.Environment: got "prod"; allowed: the environment's name, "dev"/],
    ["the public endpoint is open to 0.0.0.0/0", (c) => (c.cluster.publicAccessCidrs = ["0.0.0.0/0"]), /cluster\.publicAccessCidrs\[0\]: got "0\.0\.0\.0\/0"; allowed: an allow-list of specific networks/],
    ["a public access CIDR is invalid", (c) => (c.cluster.publicAccessCidrs = ["203.0.113.0"]), /cluster\.publicAccessCidrs\[0\]: got "203\.0\.113\.0"; allowed: an IPv4 CIDR block/],
    ["the NAT strategy is unknown", (c) => (c.network.natGateways = "none"), /network\.natGateways: got "none"; allowed: one of "single", "per-az"/],
    ["a field name is misspelt", (c) => (c.network.vpcCdir = "10.0.0.0/16"), /network\.vpcCdir: got "10\.0\.0\.0\/16"; allowed: no field "vpcCdir" here \(did you mean "vpcCidr"\?\); known fields: vpcCidr, azCount/],
    ["a required field is missing", (c) => delete c.region, /region: got nothing; allowed: a value \(required\)/],
    ["the account id is malformed", (c) => (c.account = "1234"), /account: got "1234"; allowed: a 12-digit AWS account id/],
    ["the log retention is not a CloudWatch period", (c) => (c.cluster.logRetentionDays = 100), /cluster\.logRetentionDays: got 100; allowed: one of the CloudWatch Logs retention periods/],
    ["control-plane logs are kept less than a year", (c) => (c.cluster.logRetentionDays = 90), /cluster\.logRetentionDays: got 90; allowed: at least 365 days/],
    ["DynamoDB locking has no table", (c) => (c.backend.locking = "dynamodb"), /backend\.dynamodbTable: got nothing; allowed: a DynamoDB table name when backend\.locking is "dynamodb"/],
    ["the backend key prefix ends with /", (c) => (c.backend.keyPrefix = "sre-platform/dev/"), /backend\.keyPrefix: got "sre-platform\/dev\/"; allowed: a prefix without a leading or trailing/],
    ["no deploy role is given", (c) => delete c.iam.deployRoleArn, /iam\.deployRoleArn: got nothing; allowed: a value \(required\)/],
    ["a private access CIDR is invalid", (c) => (c.cluster.privateAccessCidrs = ["10.40.0.0"]), /cluster\.privateAccessCidrs\[0\]: got "10\.40\.0\.0"; allowed: an IPv4 CIDR block/],
    ["the private endpoint is opened to 0.0.0.0/0", (c) => (c.cluster.privateAccessCidrs = ["0.0.0.0/0"]), /cluster\.privateAccessCidrs\[0\]: got "0\.0\.0\.0\/0"; allowed: specific networks/],
    ["an add-on version is not an EKS add-on version", (c) => (c.cluster.addonVersions = { coreDns: "1.11" }), /cluster\.addonVersions\.coreDns: got "1\.11"; allowed: an EKS add-on version such as v\d+\.\d+\.\d+-eksbuild\.\d+/],
    ["a pinned add-on version is not the one reviewed for the cluster's minor", (c) => (c.cluster.addonVersions = { kubeProxy: "v1.33.5-eksbuild.2" }), /cluster\.addonVersions\.kubeProxy: got "v1\.33\.5-eksbuild\.2"; allowed: the version reviewed for Kubernetes 1\.34, v1\.34\.\d+-eksbuild\.\d+ \(lib\/eks\/addon-versions\.ts/],
    ["a protected environment leaves an add-on unpinned", (c) => (c.protection.preventDestroy = true), /cluster\.addonVersions\.coreDns: got nothing; allowed: a pinned version, v1\.\d+\.\d+-eksbuild\.\d+ for Kubernetes 1\.34: an environment with protection\.preventDestroy pins every managed add-on/],
    ["an unknown add-on is pinned", (c) => (c.cluster.addonVersions = { istio: "v1.0.0-eksbuild.1" }), /cluster\.addonVersions\.istio: got "v1\.0\.0-eksbuild\.1"; allowed: no field "istio" here; known fields: vpcCni, coreDns/],
    ["the alerting time zone is unknown", (c) => (c.alerting.businessHours.location = "Dublin"), /alerting\.businessHours\.location: got "Dublin"; allowed: an IANA time zone/],
    ["an alerting tier is unknown", (c) => (c.alerting.tiers = { P5: { groupWait: "1s" } }), /alerting\.tiers\.P5: got .*; allowed: /],
    ["a team's receivers name a team the environment does not have", (c) => (c.alerting.teams.search = { slack: { channel: "#search" }, email: { to: "search@example.com" } }), /alerting\.teams\.search: got .*; allowed: receivers of a team of security\.namespaces\.teams \(payments\)/],
    ["a team has no receivers", (c) => delete c.alerting.teams.payments, /alerting\.teams\.payments: got nothing; allowed: the team's receivers .*team-payments-pagerduty-routing-key.*: without them its alerts would page the platform's on-call/],
    ["a team's receivers hold a credential", (c) => (c.alerting.teams.payments.slack.webhookUrl = "https://hooks.slack.com/x"), /alerting\.teams\.payments\.slack\.webhookUrl: got .*; allowed: no field "webhookUrl" here/],
    ["an SMS phone number is written instead of its secret", (c) => (c.alerting.sms = { phoneNumbers: [{ name: "primary-on-call", secret: "+4915112345678" }] }), /environment "dev": alerting\.sms\.phoneNumbers\[0\]\.secret: got "\(a phone number\)"; allowed: the name or ARN of a Secrets Manager secret holding the number, never the number itself/],
    ["an SMS phone is a number field, not a secret", (c) => (c.alerting.sms = { phoneNumbers: [{ name: "primary-on-call", number: "+4915112345678" }] }), /alerting\.sms\.phoneNumbers\[0\]\.number: got "\(a phone number\)"; allowed: no field "number" here; known fields: name, secret/],
    ["an SMS phone's secret is in another account", (c) => (c.alerting.sms = { phoneNumbers: [{ name: "primary-on-call", secret: "arn:aws:secretsmanager:eu-west-1:222222222222:secret:on-call-AbCdEf" }] }), /alerting\.sms\.phoneNumbers\[0\]\.secret: got ".*222222222222.*"; allowed: a secret of the environment's own account and region \(111111111111, eu-west-1\), or its name/],
    ["a team's SMS phone secret is in another region", (c) => (c.alerting.teams.payments.sms = { phoneNumbers: [{ name: "payments-on-call", secret: "arn:aws:secretsmanager:us-east-1:111111111111:secret:on-call-AbCdEf" }] }), /alerting\.teams\.payments\.sms\.phoneNumbers\[0\]\.secret: got ".*us-east-1.*"; allowed: a secret of the environment's own account and region/],
    ["an SMS phone is only its number", (c) => (c.alerting.sms = { phoneNumbers: ["+4915112345678"] }), /alerting\.sms\.phoneNumbers\[0\]: got "\(a phone number\)"; allowed: \{ name, secret \}: what the phone is, and the Secrets Manager secret holding its number, never the number itself/],
    ["a service-down override's for is not a duration", (c) => (c.slo.overrides = { "checkout-api": { serviceDown: { for: "ten minutes" } } }), /slo\.overrides\.checkout-api\.serviceDown\.for: got "ten minutes"; allowed: a Prometheus duration of one unit/],
    ["a service override overrides nothing", (c) => (c.slo.overrides = { "checkout-api": {} }), /slo\.overrides\.checkout-api: got \{\}; allowed: an override, e\.g\. \{ serviceDown: \{ for: "10m" \} \}/],
    ["a service-down override has an unknown field", (c) => (c.slo.overrides = { "checkout-api": { serviceDown: { targets: "up" } } }), /slo\.overrides\.checkout-api\.serviceDown\.targets: got .*; allowed: no field "targets" here/],
    ["a team's Slack channel is not one", (c) => (c.alerting.teams.payments.slack.channel = "payments"), /alerting\.teams\.payments\.slack\.channel: got "payments"; allowed: a Slack channel/],
    ["a person's role is not a role ARN", (c) => (c.cluster.access[0].roleArn = "arn:aws:iam::111111111111:user/alice"), /cluster\.access\[0\]\.roleArn: got "arn:aws:iam::111111111111:user\/alice"; allowed: an IAM role ARN/],
  ];

  test.each(rules)("fails when %s", (_name, mutate, expected) => {
    const lines = messages(devWith(mutate));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join("\n")).toMatch(expected);
    for (const line of lines) expect(line).toMatch(/^environment "(dev|#0)": /);
  });

  test("fails when two environments' VPCs overlap", () => {
    const clash = { ...structuredClone(prod), network: { ...prod.network, vpcCidr: "10.10.128.0/17" } };
    expect(() => validateEnvironments([dev, clash])).toThrow(
      /environment "prod": network\.vpcCidr: got "10\.10\.128\.0\/17"; allowed: a range that does not overlap environment "dev" \(10\.10\.0\.0\/16\)/,
    );
  });

  test("fails when two environments share a state bucket", () => {
    const shared = { ...structuredClone(prod), backend: { ...prod.backend, bucket: dev.backend.bucket } };
    expect(() => validateEnvironments([dev, shared])).toThrow(
      /environment "prod": backend\.bucket: got "sre-platform-dev-terraform-state"; allowed: a state bucket of this environment's own account, not environment "dev"'s/,
    );
  });

  describe("nothing of another environment (what a copied environment file keeps)", () => {
    const [first, second] = [dev, prod];
    /** Validates `first` unchanged and `second` changed by `mutate`; returns the lines about `second`. */
    const linesOf = (mutate: (c: Mutable) => void): string[] => {
      const changed = structuredClone(second) as Mutable;
      mutate(changed);
      try {
        validateEnvironments([first, changed]);
        return [];
      } catch (e) {
        return (e as Error).message.split("\n").filter((l) => l.startsWith(`environment "${second.name}"`));
      }
    };
    const zone = (c: Mutable) => c.security.certManager.issuer.hostedZones[0];

    test.each<[string, (c: Mutable) => void, RegExp]>([
      ["its account is another environment's", (c) => (c.account = first.account), /^environment "prod": account: got "111111111111"; allowed: an account of this environment's own, not environment "dev"'s/m],
      ["admission allows another environment's ECR registry", (c) => c.security.admission.allowedRegistries.push("111111111111.dkr.ecr.eu-west-1.amazonaws.com/team"), /^environment "prod": security\.admission\.allowedRegistries\[1\]: got "111111111111\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/team"; allowed: a registry of this environment's own account 333333333333 \(or a shared one\), not environment "dev"'s account 111111111111/m],
      ["the secret prefix names another environment", (c) => (c.platform.externalSecrets.secretsManagerPrefix = "sre-platform/dev"), /^environment "prod": platform\.externalSecrets\.secretsManagerPrefix: got "sre-platform\/dev"; allowed: a name of this environment \("prod"\), not of environment "dev"/m],
      ["the alert channel names another environment", (c) => (c.alerting.slack.channel = "#alerts-dev"), /^environment "prod": alerting\.slack\.channel: got "#alerts-dev"; allowed: a name of this environment/m],
      ["the alert mailbox names another environment", (c) => (c.alerting.email.to = "platform-dev@example.com"), /^environment "prod": alerting\.email\.to: got "platform-dev@example\.com"/m],
      ["the heartbeat URL names another environment", (c) => (c.alerting.heartbeat.url = "https://heartbeat.example.com/ping/sre-platform-dev"), /^environment "prod": alerting\.heartbeat\.url: got ".*sre-platform-dev"/m],
      ["the state key prefix names another environment", (c) => (c.backend.keyPrefix = "sre-platform/dev"), /^environment "prod": backend\.keyPrefix: got "sre-platform\/dev"/m],
      ["the cluster name names another environment", (c) => (c.cluster.name = "dev-platform"), /^environment "prod": cluster\.name: got "dev-platform"/m],
      ["the ACME e-mail names another environment", (c) => (c.security.certManager.issuer.email = "platform-dev@example.com"), /^environment "prod": security\.certManager\.issuer\.email: got "platform-dev@example\.com"/m],
    ])("fails when %s", (_name, mutate, expected) => {
      const lines = linesOf(mutate);
      expect(lines.join("\n")).toMatch(expected);
    });

    test("fails when two environments issue certificates in one hosted zone (by id or by domain)", () => {
      const withStaging = (mutate: (c: Mutable) => void) => {
        const copy = structuredClone(staging) as Mutable;
        mutate(copy);
        try {
          validateEnvironments([prod, copy]);
          return "";
        } catch (e) {
          return (e as Error).message;
        }
      };
      const prodZone = (prod.security.certManager.issuer as { hostedZones: Array<{ zoneId: string; domain: string }> }).hostedZones[0]!;
      expect(withStaging((c) => (zone(c).zoneId = prodZone.zoneId))).toMatch(
        /environment "staging": security\.certManager\.issuer\.hostedZones\[0\]\.zoneId: got "Z0PROD0PLATFORM0EXAMPLE"; allowed: a hosted zone of this environment's own, not environment "prod"'s/,
      );
      expect(withStaging((c) => (zone(c).domain = `${prodZone.domain}.`))).toMatch(/environment "staging": security\.certManager\.issuer\.hostedZones\[0\]\.domain: got "platform\.example\.com\."/);
      expect(withStaging(() => undefined)).toBe("");
    });

    test("the committed environments keep nothing of each other", () => {
      expect(() => validateEnvironments(ENVIRONMENTS)).not.toThrow();
    });
  });

  test("namesEnvironment: a word of its own, after the environment's own name is set aside", () => {
    expect(namesEnvironment("#alerts-staging", "staging", "qa")).toBe(true);
    expect(namesEnvironment("sre-platform/staging", "staging", "qa")).toBe(true);
    expect(namesEnvironment("#alerts-qa", "staging", "qa")).toBe(false);
    expect(namesEnvironment("sre-platform/prod-eu", "prod", "prod-eu")).toBe(false);
    expect(namesEnvironment("developer", "dev", "qa")).toBe(false);
    expect(namesEnvironment("platform-DEV@example.com", "dev", "qa")).toBe(true);
  });

  test("a ConfigError with the environments' files names the file on every line", () => {
    try {
      validateEnvironments([devWith((c) => (c.tags.Owner = ""))]);
      throw new Error("no error");
    } catch (e) {
      const lines = (e as ConfigError).withSources(new Map([["dev", "environments/dev.ts"]])).message.split("\n");
      expect(lines).toEqual([expect.stringMatching(/^environments\/dev\.ts: environment "dev": tags\.Owner: got ""/)]);
    }
  });

  test("fails when two environments share a name", () => {
    expect(() => validateEnvironments([dev, dev])).toThrow(/environment "dev": name: got "dev"; allowed: a name no other environment uses/);
  });

  test("a protected environment pins every add-on its cluster runs: the EFS CSI driver only with EFS", () => {
    const unpinned = (mutate: (c: Mutable) => void) =>
      messages(devWith(mutate)).map((l) => /cluster\.addonVersions\.(\w+): got nothing/.exec(l)?.[1]).filter(Boolean);
    const all = ["vpcCni", "coreDns", "kubeProxy", "podIdentityAgent", "ebsCsiDriver", "efsCsiDriver"];
    expect(unpinned((c) => (c.protection.preventDestroy = true)).sort()).toEqual([...all].sort());
    expect(unpinned((c) => ((c.protection.preventDestroy = true), (c.storage.efs = false))).sort()).toEqual(all.filter((k) => k !== "efsCsiDriver").sort());
    expect(unpinned((c) => (c.protection.preventDestroy = false))).toEqual([]);
  });

  test("fails when prod moves to another Kubernetes minor without moving its add-on pins", () => {
    const moved = { ...structuredClone(prod), cluster: { ...structuredClone(prod.cluster), kubernetesVersion: "1.33" } };
    expect(() => validateEnvironments([moved])).toThrow(/environment "prod": cluster\.addonVersions\.kubeProxy: got "v1\.34\.[^"]+"; allowed: the version reviewed for Kubernetes 1\.33, v1\.33\./);
  });

  test("the alerting section is optional and fills in business days and hours", () => {
    const { config } = validateEnvironment(devWith((c) => delete c.alerting));
    expect(config?.alerting).toBeUndefined();
    const filled = validateEnvironment(devWith((c) => ((c.alerting.businessHours = { location: "UTC" }))));
    expect(filled.config?.alerting?.businessHours).toEqual({ location: "UTC", weekdays: ["monday:friday"], times: [{ start: "09:00", end: "17:00" }] });
  });

  test("reports every problem at once, not only the first", () => {
    const lines = messages(devWith((c) => ((c.network.reservedCidrs = ["nope"]), (c.tags.Owner = ""), (c.cluster.nodeGroups[0].minSize = 9))));
    expect(lines).toHaveLength(4); // reserved CIDR, tag, minSize > maxSize, desired < minSize
  });
});
