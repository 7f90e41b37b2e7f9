import { configErrorsWith, type Mutable } from "../../../support/config-errors";
import { dev } from "../../../../environments/dev";

const messages = (mutate: (c: Mutable) => void): string[] => configErrorsWith(dev, mutate);

const ns = (c: Mutable) => c.security.namespaces;
const monitoring = (c: Mutable) => ns(c).platform.monitoring;
const team = (c: Mutable) => ns(c).teams[0];
const egress0 = (c: Mutable) => monitoring(c).egress[0];
const ACCOUNT = dev.account;

describe("security.namespaces configuration", () => {
  test("the committed dev environment is valid", () => {
    expect(messages(() => undefined)).toEqual([]);
  });

  // One row per rule: how to break dev, what the user reads.
  const rules: Array<[string, (c: Mutable) => void, RegExp]> = [
    ["a Pod Security exception has no reason", (c) => (monitoring(c).podSecurity = { level: "baseline" }), /security\.namespaces\.platform\.monitoring\.podSecurity\.reason: got nothing; allowed: a value \(required\)/],
    ["a Pod Security exception's reason is too short", (c) => (monitoring(c).podSecurity = { level: "baseline", reason: "needs it" }), /podSecurity\.reason: got "needs it"; allowed: at least 20 \(why the default is turned off, in at least 20 characters\)/],
    ["a Pod Security level is restricted or unknown", (c) => (monitoring(c).podSecurity = { level: "restricted", reason: "a reason long enough to count" }), /podSecurity\.level: got "restricted"; allowed: one of "baseline", "privileged"/],
    ["the mesh mode is unknown", (c) => (monitoring(c).mesh = "ambient"), /platform\.monitoring\.mesh: got "ambient"; allowed: one of "sidecar", "none"/],
    ["a metrics port is out of range", (c) => (monitoring(c).metricsPorts = [0]), /monitoring\.metricsPorts\[0\]: got 0; allowed: a port number from 1 to 65535/],
    ["an allow has two peers", (c) => (egress0(c).peer.cidrs = ["10.0.0.0/8"]), /monitoring\.egress\[0\]\.peer: got \["cidrs","kubernetesApi"\]; allowed: exactly one peer of namespace, cidrs, kubernetesApi, nodes/],
    ["an allow has no peer", (c) => delete egress0(c).peer.kubernetesApi, /monitoring\.egress\[0\]\.peer: got \[\]; allowed: exactly one peer/],
    ["pod labels come without a namespace", (c) => (egress0(c).peer.podLabels = { app: "x" }), /monitoring\.egress\[0\]\.peer\.podLabels: got \{"app":"x"\}; allowed: pod labels only together with a namespace/],
    ["a CIDR is malformed", (c) => (monitoring(c).egress.find((r: Mutable) => r.name === "alertmanager-receivers").peer = { cidrs: ["0.0.0.0/33"] }), /monitoring\.egress\[\d+\]\.peer\.cidrs\[0\]: got "0\.0\.0\.0\/33"; allowed: an IPv4 CIDR block/],
    ["a label key is malformed", (c) => (egress0(c).forPods = { "app name": "x" }), /monitoring\.egress\[0\]\.forPods\.app name: got "app name"; allowed: a Kubernetes label key/],
    ["a port is out of range", (c) => (egress0(c).ports = [{ port: 65536 }]), /monitoring\.egress\[0\]\.ports\[0\]\.port: got 65536; allowed: a port number from 1 to 65535/],
    ["an allow opens no port", (c) => (egress0(c).ports = []), /monitoring\.egress\[0\]\.ports: got \[\]; allowed: at least one port: an allow names the ports it opens/],
    ["two allows of a direction share a name", (c) => monitoring(c).egress.push(structuredClone(egress0(c))), /monitoring\.egress\[\d+\]\.name: got "kubernetes-api"; allowed: a name no other egress allow of this namespace uses/],
    ["a quota is not a quantity", (c) => (monitoring(c).quota.requestsCpu = "two"), /monitoring\.quota\.requestsCpu: got "two"; allowed: a Kubernetes quantity/],
    ["a load balancer count is negative", (c) => (team(c).namespaces.payments.quota.servicesLoadBalancers = -1), /teams\[0\]\.namespaces\.payments\.quota\.servicesLoadBalancers: got -1; allowed: .*0/],
    ["a node port count is fractional", (c) => (team(c).namespaces.payments.quota.servicesNodePorts = 1.5), /payments\.quota\.servicesNodePorts: got 1\.5; allowed: /],
    ["a default request is above its limit", (c) => (monitoring(c).containerDefaults = { requestCpu: "10m", requestMemory: "1Gi", limitMemory: "256Mi" }), /containerDefaults\.requestMemory: got "1Gi"; allowed: at most limitMemory \(256Mi\)/],
    ["a storage quota is not a quantity", (c) => (team(c).namespaces.payments.quota.requestsStorage = "lots"), /payments\.quota\.requestsStorage: got "lots"; allowed: a Kubernetes quantity/],
    ["a claim count is negative", (c) => (team(c).namespaces.payments.quota.persistentVolumeClaims = -1), /payments\.quota\.persistentVolumeClaims: got -1; allowed: /],
    ["a StorageClass limit exceeds the namespace's storage", (c) => (team(c).namespaces.payments.quota.storageClasses = { gp3: { requestsStorage: "1Ti" } }), /payments\.quota\.storageClasses\.gp3\.requestsStorage: got "1Ti"; allowed: at most the namespace's quota\.requestsStorage \(20Gi\)/],
    ["a StorageClass claim count exceeds the namespace's", (c) => (team(c).namespaces.payments.quota.storageClasses = { gp3: { persistentVolumeClaims: 6 } }), /payments\.quota\.storageClasses\.gp3\.persistentVolumeClaims: got 6; allowed: at most the namespace's quota\.persistentVolumeClaims \(5\)/],
    ["a StorageClass name is invalid", (c) => (team(c).namespaces.payments.quota.storageClasses = { "GP3!": { persistentVolumeClaims: 1 } }), /payments\.quota\.storageClasses\.GP3!: got "GP3!"; allowed: a StorageClass name/],
    ["the monitoring quota holds fewer claims than Prometheus and Alertmanager replicas", (c) => (monitoring(c).quota.persistentVolumeClaims = 1), /monitoring\.quota\.persistentVolumeClaims: got 1; allowed: at least one claim per Prometheus and Alertmanager replica \(2\)/],
    ["the monitoring quota holds less storage than their volumes", (c) => delete monitoring(c).quota.requestsStorage, /monitoring\.quota\.requestsStorage: got nothing; allowed: at least the volumes observability sizes for Prometheus and Alertmanager together \(12Gi\)/],
    ["the monitoring quota is below the memory limits observability sizes", (c) => (monitoring(c).quota.limitsMemory = "1Gi"), /monitoring\.quota\.limitsMemory: got "1Gi"; allowed: at least what observability sizes for Prometheus, Alertmanager and Grafana together \(2432Mi\)/],
    ["the monitoring quota is below the CPU requests observability sizes", (c) => (monitoring(c).quota.requestsCpu = "100m"), /monitoring\.quota\.requestsCpu: got "100m"; allowed: at least what observability sizes .* \(325m\)/],
    ["an opt-out has no reason", (c) => (monitoring(c).optOut = { resourceQuota: {} }), /monitoring\.optOut\.resourceQuota\.reason: got nothing; allowed: a value \(required\)/],
    ["an opt-out is not a known flag", (c) => (monitoring(c).optOut = { podSecurity: { reason: "a reason long enough to count" } }), /monitoring\.optOut\.podSecurity: .*allowed: no field "podSecurity" here; known fields: defaultDenyNetworkPolicies, resourceQuota, limitRange/],
    ["two teams share a name", (c) => ns(c).teams.push({ ...structuredClone(team(c)), namespaces: {}, viewRoleArns: [], deployRoleArns: [] }), /teams\[1\]\.name: got "payments"; allowed: a name no other team uses/],
    ["a team has no namespace", (c) => (team(c).namespaces = {}), /teams\[0\]\.namespaces: got \{\}; allowed: at least one namespace/],
    ["a team namespace is a platform namespace", (c) => (team(c).namespaces.monitoring = structuredClone(team(c).namespaces.payments)), /teams\[0\]\.namespaces\.monitoring: got "monitoring"; allowed: a namespace of the team's own, not the platform's/],
    ["a team namespace is a system namespace", (c) => (team(c).namespaces["kube-system"] = structuredClone(team(c).namespaces.payments)), /teams\[0\]\.namespaces\.kube-system: got "kube-system"; allowed: a namespace of the team's own, not Kubernetes'/],
    ["a team namespace name is malformed", (c) => (team(c).namespaces.Shop = structuredClone(team(c).namespaces.payments)), /teams\[0\]\.namespaces\.Shop: got "Shop"; allowed: a Kubernetes namespace name/],
    ["two teams share a namespace", (c) => ns(c).teams.push({ name: "checkout", namespaces: structuredClone(team(c).namespaces), viewRoleArns: [], deployRoleArns: [] }), /teams\[1\]\.namespaces\.payments: got "payments"; allowed: a namespace no other team has \(team "payments" has it\)/],
    ["an access entry names a namespace the platform does not create", (c) => c.cluster.access.push({ roleArn: `arn:aws:iam::${ACCOUNT}:role/developer`, policy: "edit", namespaces: ["payments", "apps"] }), /cluster\.access\[1\]\.namespaces\[1\]: got "apps"; allowed: a namespace the platform creates with its baseline: a team namespace \(payments\) or a platform namespace \(.*monitoring.*\)/],
    ["a team role is in cluster.access too", (c) => team(c).viewRoleArns.push(c.cluster.access[0].roleArn), /teams\[0\]\.viewRoleArns\[1\]: got ".*role\/platform-admin"; allowed: a role without an EKS access entry elsewhere: cluster\.access\[0\] already has this one, and EKS allows one access entry per principal/],
    ["a team role is the deploy role", (c) => team(c).deployRoleArns.push(c.iam.deployRoleArn), /teams\[0\]\.deployRoleArns\[1\]: got ".*"; allowed: a role without an EKS access entry elsewhere: iam\.deployRoleArn already has this one/],
    ["a role both deploys and views", (c) => team(c).viewRoleArns.push(team(c).deployRoleArns[0]), /teams\[0\]\.viewRoleArns\[1\]: .*teams\[0\]\.deployRoleArns\[0\] already has this one \(deployers can already view\)/],
    ["a team role is another account's", (c) => (team(c).viewRoleArns = ["arn:aws:iam::999999999999:role/payments-view"]), new RegExp(`teams\\[0\\]\\.viewRoleArns\\[0\\]: got ".*"; allowed: a role of the environment's own account, ${ACCOUNT}`)],
    ["a team role is not a role ARN", (c) => (team(c).viewRoleArns = ["arn:aws:iam::111111111111:user/alice"]), /teams\[0\]\.viewRoleArns\[0\]: got ".*user\/alice"; allowed: an IAM role ARN/],
  ];

  test.each(rules)("fails when %s", (_why, mutate, expected) => {
    const lines = messages(mutate);
    expect(lines.some((l) => expected.test(l))).toBe(true);
  });
});
