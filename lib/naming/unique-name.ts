import { createHash } from "node:crypto";

/** How {@link uniqueName} shapes a name for one kind of AWS resource. */
export interface UniqueNameRule {
  /** Longest name the resource accepts (or the share of it this prefix may take). */
  readonly maxLength: number;
  /** Characters kept; every run of others becomes one '-'. */
  readonly allowed: RegExp;
  /** Lowercase the name (S3 buckets). */
  readonly lowercase?: boolean;
}

/**
 * A name unique per construct path (`<stack>/<construct>/…`), for names that must be unique in an AWS
 * account: path segments joined with '-'. When the name had to change beyond that (characters replaced,
 * case folded, truncated), 8 hex digits of the path's SHA-256 are appended so two paths never meet.
 * @param path the construct path, e.g. `team-a/Network`
 */
export function uniqueName(path: string, rule: UniqueNameRule): string {
  const joined = path.split("/").filter((s) => s !== "").join("-");
  const chars = [...joined].map((c) => (rule.allowed.test(c) ? c : "-")).join("");
  let name = chars.replace(/-+/g, "-").replace(/^-|-$/g, "");
  if (rule.lowercase) name = name.toLowerCase();
  if (name === joined && name.length <= rule.maxLength && name !== "") return name;
  const hash = createHash("sha256").update(path).digest("hex").slice(0, 8);
  const head = name.slice(0, Math.max(0, rule.maxLength - hash.length - 1)).replace(/-$/, "");
  return head === "" ? hash : `${head}-${hash}`;
}
