import { ValidationProblem } from "../../common/validation";

// S3 reserves these for IDN punycode, its own endpoints, access point aliases, Multi-Region Access Points,
// directory buckets and table buckets; general purpose bucket names must avoid them.
const RESERVED_NAME_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_NAME_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/** Problems with an S3 general purpose bucket name, per the AWS naming rules. */
export function bucketNameProblems(path: string, name: string): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  if (name.length < 3 || name.length > 63) {
    problems.push({ path, value: name, allowed: "3 to 63 characters" });
  }
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) {
    problems.push({ path, value: name, allowed: "lowercase letters, digits, '.' and '-', starting and ending with a letter or digit" });
  }
  if (name.includes("..")) {
    problems.push({ path, value: name, allowed: "no two adjacent periods" });
  }
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) {
    problems.push({ path, value: name, allowed: "a name that is not formatted as an IP address" });
  }
  const prefix = RESERVED_NAME_PREFIXES.find((p) => name.startsWith(p));
  const suffix = RESERVED_NAME_SUFFIXES.find((s) => name.endsWith(s));
  if (prefix || suffix) {
    problems.push({ path, value: name, allowed: `a name without the reserved ${prefix ? `prefix '${prefix}'` : `suffix '${suffix}'`}` });
  }
  return problems;
}
