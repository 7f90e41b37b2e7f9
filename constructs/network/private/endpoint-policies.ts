import { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { awsOwnedBucketsNodesRead } from "../../../lib/aws/interface-endpoints";

/** Whose requests an endpoint carries: this account's, or its organisation's. */
export interface EndpointPerimeter {
  readonly accountId: string;
  /** @default - the account only */
  readonly organizationId?: string;
  readonly region: string;
  readonly partition: string;
}

const ANY = [{ type: "AWS", identifiers: ["*"] }];

/** IAM action prefixes of endpoint services whose name differs from it. */
const IAM_PREFIX: Readonly<Record<string, string>> = { "ecr.api": "ecr", "ecr.dkr": "ecr", monitoring: "cloudwatch" };

/** `aws:PrincipalAccount` (or `aws:PrincipalOrgID`) equals ours: no outside credentials through the endpoint. */
function ownPrincipals(p: EndpointPerimeter) {
  return p.organizationId
    ? { test: "StringEquals", variable: "aws:PrincipalOrgID", values: [p.organizationId] }
    : { test: "StringEquals", variable: "aws:PrincipalAccount", values: [p.accountId] };
}

/** `aws:ResourceAccount` (or `aws:ResourceOrgID`) equals ours: no writing into someone else's resources. */
function ownResources(p: EndpointPerimeter, test = "StringEquals") {
  return p.organizationId
    ? { test, variable: "aws:ResourceOrgID", values: [p.organizationId] }
    : { test, variable: "aws:ResourceAccount", values: [p.accountId] };
}

/**
 * The S3 gateway endpoint's policy: principals of this account (organisation) to buckets of this account
 * (organisation), plus reads of the AWS-owned buckets nodes need. Without it, a pod could copy data to any
 * bucket in the world without a NAT gateway in the way. Endpoint policies grant nothing; they only bound
 * what IAM and bucket policies allow, hence the service-wide action inside the perimeter conditions.
 */
export function s3GatewayEndpointStatements(p: EndpointPerimeter): DataAwsIamPolicyDocumentStatement[] {
  return [
    {
      sid: "EndpointOwnPrincipalsToOwnBuckets",
      effect: "Allow",
      principals: ANY,
      actions: ["s3:*"],
      resources: ["*"],
      condition: [ownPrincipals(p), ownResources(p)],
    },
    {
      sid: "EndpointAwsOwnedBucketsNodesRead",
      effect: "Allow",
      principals: ANY,
      actions: ["s3:GetObject"],
      resources: awsOwnedBucketsNodesRead(p.region, p.partition),
      condition: [ownPrincipals(p)],
    },
  ];
}

/**
 * An interface endpoint's policy: only principals of this account (organisation), and, unless the service
 * must reach AWS-owned or other accounts' resources (ECR, STS), only resources of this account
 * (`IfExists`: describe and list calls carry no resource account).
 */
export function interfaceEndpointStatements(p: EndpointPerimeter, service: string, reachesOtherAccounts: boolean): DataAwsIamPolicyDocumentStatement[] {
  return [
    {
      sid: reachesOtherAccounts ? "EndpointOwnPrincipals" : "EndpointOwnPrincipalsToOwnResources",
      effect: "Allow",
      principals: ANY,
      actions: [`${IAM_PREFIX[service] ?? service}:*`],
      resources: ["*"],
      condition: reachesOtherAccounts ? [ownPrincipals(p)] : [ownPrincipals(p), ownResources(p, "StringEqualsIfExists")],
    },
  ];
}
