import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { IrsaRole, IrsaRoleProps, validateIrsaRoleProps } from "../../../constructs/common/irsa-role";

const cluster = {
  oidcProviderArn: "arn:aws:iam::111111111111:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC",
  oidcIssuerUrl: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC",
};

function synth(props: Partial<IrsaRoleProps> = {}) {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  new IrsaRole(stack, "Role", { cluster, namespace: "kube-system", serviceAccount: "controller", ...props });
  return JSON.parse(Testing.synth(stack));
}

type Condition = { test: string; variable: string; values: string[] };
function trustConditions(parsed: { data: { aws_iam_policy_document: Record<string, { statement: Array<{ condition: Condition[] }> }> } }): Condition[] {
  const [, trust] = Object.entries(parsed.data.aws_iam_policy_document).find(([k]) => k.includes("Trust"))!;
  return trust.statement[0]!.condition;
}

describe("IrsaRole", () => {
  test("trusts exactly one service account, bound on both sub and aud", () => {
    const conditions = trustConditions(synth());
    expect(conditions).toEqual([
      { test: "StringEquals", variable: "${replace(\"https://oidc.eks.eu-west-1.amazonaws.com/id/ABC\", \"https://\", \"\")}:sub", values: ["system:serviceaccount:kube-system:controller"] },
      { test: "StringEquals", variable: "${replace(\"https://oidc.eks.eu-west-1.amazonaws.com/id/ABC\", \"https://\", \"\")}:aud", values: ["sts.amazonaws.com"] },
    ]);
  });

  test("adds further service accounts of the namespace by exact name", () => {
    const sub = trustConditions(synth({ additionalServiceAccounts: ["node"] }))[0]!;
    expect(sub.values).toEqual(["system:serviceaccount:kube-system:controller", "system:serviceaccount:kube-system:node"]);
  });

  test("writes inline statements into one customer-managed policy and attaches managed ones", () => {
    const parsed = synth({
      statements: [{ actions: ["sqs:ReceiveMessage"], resources: ["arn:aws:sqs:eu-west-1:111111111111:q"] }],
      managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonEBSCSIDriverPolicy"],
    });
    expect(Object.keys(parsed.resource.aws_iam_policy)).toHaveLength(1);
    expect(Object.values(parsed.resource.aws_iam_role_policy_attachment).map((a: any) => a.policy_arn)).toContain("arn:aws:iam::aws:policy/AmazonEBSCSIDriverPolicy");
  });

  test.each([
    ["the namespace is not a DNS label", { namespace: "Kube_System" }, "namespace"],
    ["the service account name is invalid", { serviceAccount: "Bad Name" }, "serviceAccount"],
    ["an additional service account name is invalid", { additionalServiceAccounts: ["ok", "no*"] }, "additionalServiceAccounts[1]"],
    ["a statement allows every action", { statements: [{ actions: ["*"], resources: ["*"] }] }, "statements[0].actions"],
    ["a statement allows a whole service", { statements: [{ actions: ["ec2:*"], resources: ["*"] }] }, "statements[0].actions"],
  ] as const)("fails when %s", (_name, props, path) => {
    const problems = validateIrsaRoleProps({ cluster, namespace: "kube-system", serviceAccount: "controller", ...(props as Partial<IrsaRoleProps>) });
    expect(problems.map((p) => p.path)).toEqual([path]);
    expect(() => synth(props as Partial<IrsaRoleProps>)).toThrow(new RegExp(`${path.replace(/[[\]]/g, "\\$&")}: got`));
  });
});
