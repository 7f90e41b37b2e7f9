import { Construct } from "constructs";
import { requireProps } from "../common/validation";
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";

/** Props of {@link ServiceRole}. */
export interface ServiceRoleProps {
  /** Service principal that assumes the role, e.g. `eks.amazonaws.com`. */
  readonly servicePrincipal: string;
  /**
   * Actions the service may call on the trust policy.
   * @default ["sts:AssumeRole"]
   */
  readonly trustActions?: readonly string[];
  readonly description: string;
  /**
   * Managed policies to attach, keyed by a stable PascalCase name that becomes part of the construct id
   * (`Attach<Key>`), so reordering them moves no Terraform address.
   */
  readonly managedPolicyArns: Readonly<Record<string, string>>;
  /**
   * Statements of one inline policy.
   * @default - no inline policy
   */
  readonly inlineStatements?: readonly DataAwsIamPolicyDocumentStatement[];
}

/** An IAM role assumed by an AWS service, with only the managed policies and inline statements given. */
export class ServiceRole extends Construct {
  public readonly role: IamRole;
  public readonly roleArn: string;
  /** Policy attachments and inline policy: what a resource using the role must wait for. */
  public readonly grants: Array<IamRolePolicyAttachment | IamRolePolicy> = [];

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    requireProps(this, props, { servicePrincipal: "the AWS service that assumes the role, e.g. eks.amazonaws.com", description: "what the role is for", managedPolicyArns: "the managed policies to attach, by key" });
    const trust = new DataAwsIamPolicyDocument(this, "Trust", {
      statement: [
        {
          sid: "ServiceAssumesRole",
          effect: "Allow",
          actions: [...(props.trustActions ?? ["sts:AssumeRole"])],
          principals: [{ type: "Service", identifiers: [props.servicePrincipal] }],
        },
      ],
    });
    this.role = new IamRole(this, "Role", { assumeRolePolicy: trust.json, description: props.description });
    this.roleArn = this.role.arn;
    for (const [key, arn] of Object.entries(props.managedPolicyArns)) {
      this.grants.push(new IamRolePolicyAttachment(this, `Attach${key}`, { role: this.role.name, policyArn: arn }));
    }
    if (props.inlineStatements && props.inlineStatements.length > 0) {
      const doc = new DataAwsIamPolicyDocument(this, "InlinePolicyDocument", { statement: [...props.inlineStatements] });
      this.grants.push(new IamRolePolicy(this, "InlinePolicy", { role: this.role.name, policy: doc.json }));
    }
  }
}
