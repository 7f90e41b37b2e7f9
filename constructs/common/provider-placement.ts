import { IConstruct } from "constructs";
import { TerraformDataSource, TerraformProvider, TerraformResource } from "cdktf";

/**
 * Puts every resource and data source under `scope` on `provider` (an aliased AWS provider of another region), so a
 * construct built of several resources (a bucket with its policy, versioning and lifecycle; a key with the data sources
 * its policy reads) lands in that region whole, without each resource taking a provider prop of its own. Call it at the
 * end of the construct's constructor: what is added afterwards is not moved.
 */
export function placeOnProvider(scope: IConstruct, provider: TerraformProvider): void {
  for (const c of scope.node.findAll()) {
    if (c instanceof TerraformResource || c instanceof TerraformDataSource) c.provider = provider;
  }
}
