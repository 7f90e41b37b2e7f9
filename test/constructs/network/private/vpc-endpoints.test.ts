import { NetworkProps, validateNetworkProps } from "../../../../constructs/network";
import { AZS, synth as synthNetwork } from "../support";

type Json = Record<string, any>;

function synth(overrides: Partial<NetworkProps> = {}) {
  const { resources, data } = synthNetwork({ availabilityZones: AZS.slice(0, 2), interfaceEndpoints: ["ecr.dkr", "logs"], ...overrides });
  return { resource: resources, data };
}

/** The statements of the policy document an endpoint's `policy` refers to, keyed by sid. */
function endpointPolicy(tf: ReturnType<typeof synth>, endpointId: string): Record<string, Json> {
  const [, endpoint] = Object.entries(tf.resource.aws_vpc_endpoint!).find(([id]) => id.startsWith(`Network_${endpointId}_`))!;
  const docId = /data\.aws_iam_policy_document\.([^.]+)\.json/.exec(endpoint.policy)![1]!;
  return Object.fromEntries((tf.data.aws_iam_policy_document![docId]!.statement as Json[]).map((s) => [s.sid, s]));
}
const conditionsOf = (s: Json) => Object.fromEntries((s.condition as Json[]).map((c) => [c.variable, [c.test, c.values]]));
const ACCOUNT = expect.stringMatching(/^\$\{data\.aws_caller_identity\.Network_Account_[0-9A-F]{8}\.account_id\}$/);

describe("VPC endpoint policies", () => {
  test("the S3 gateway admits only this account's principals, to this account's buckets", () => {
    const s3 = endpointPolicy(synth(), "S3GatewayEndpoint");
    const own = s3.EndpointOwnPrincipalsToOwnBuckets!;
    expect(conditionsOf(own)).toEqual({ "aws:PrincipalAccount": ["StringEquals", [ACCOUNT]], "aws:ResourceAccount": ["StringEquals", [ACCOUNT]] });
  });

  test("the S3 gateway also lets this account read the AWS-owned ECR layer and AL2023 repository buckets, nothing else", () => {
    const read = endpointPolicy(synth(), "S3GatewayEndpoint").EndpointAwsOwnedBucketsNodesRead!;
    expect(read.actions).toEqual(["s3:GetObject"]);
    const region = "${data.aws_region.Network_Region_";
    expect(read.resources).toEqual([expect.stringContaining(`:s3:::prod-${region}`), expect.stringContaining(`:s3:::al2023-repos-${region}`)]);
    expect(read.resources[0]).toMatch(/-starport-layer-bucket\/\*$/);
    expect(read.resources[1]).toMatch(/\}-\*\/\*$/);
    expect(conditionsOf(read)).toEqual({ "aws:PrincipalAccount": ["StringEquals", [ACCOUNT]] });
  });

  test("with an organisation id, principals and buckets of the organisation pass", () => {
    const own = endpointPolicy(synth({ organizationId: "o-a1b2c3d4e5" }), "S3GatewayEndpoint").EndpointOwnPrincipalsToOwnBuckets!;
    expect(conditionsOf(own)).toEqual({ "aws:PrincipalOrgID": ["StringEquals", ["o-a1b2c3d4e5"]], "aws:ResourceOrgID": ["StringEquals", ["o-a1b2c3d4e5"]] });
  });

  test("interface endpoints admit only this account's principals; logs only to this account's resources, ECR also to AWS's registries", () => {
    const tf = synth();
    const logs = endpointPolicy(tf, "LogsEndpoint").EndpointOwnPrincipalsToOwnResources!;
    expect(logs.actions).toEqual(["logs:*"]);
    expect(conditionsOf(logs)).toEqual({ "aws:PrincipalAccount": ["StringEquals", [ACCOUNT]], "aws:ResourceAccount": ["StringEqualsIfExists", [ACCOUNT]] });
    const ecr = endpointPolicy(tf, "EcrDkrEndpoint").EndpointOwnPrincipals!;
    expect(ecr.actions).toEqual(["ecr:*"]);
    expect(conditionsOf(ecr)).toEqual({ "aws:PrincipalAccount": ["StringEquals", [ACCOUNT]] });
  });

  test("fails when the organisation id is malformed", () => {
    const problems = validateNetworkProps({ vpcCidr: "10.0.0.0/16", availabilityZones: ["eu-west-1a"], organizationId: "org-1" });
    expect(problems).toEqual([{ path: "organizationId", value: "org-1", allowed: "an AWS Organizations id such as o-a1b2c3d4e5" }]);
  });
});
