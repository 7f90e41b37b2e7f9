/**
 * Turns what a repeated resource IS (a CIDR, a role name, a policy name) into the part of its construct id
 * that tells it apart from its siblings: readable in the Terraform address, and unchanged when another
 * entry of the same list is added or removed. `10.0.0.0/16` → `10-0-0-0-16`, `platform-admin` stays.
 * Construct ids may not contain `/`, and cdktf drops everything but letters, digits, `-` and `_` from
 * logical ids, so every other character becomes `-`.
 */
export function constructKey(text: string): string {
  return text.replace(/[^A-Za-z0-9_]+/g, "-").replace(/^-+|-+$/g, "");
}
