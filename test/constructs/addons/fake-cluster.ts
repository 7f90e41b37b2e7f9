
export { fakeCluster } from "../../support/fakes";

/** Statements of every `aws_iam_policy_document` data source in a synthesized stack. */
export function policyStatements(parsed: { data?: Record<string, Record<string, unknown>> }): Array<Record<string, any>> {
  const docs = Object.values(parsed.data?.aws_iam_policy_document ?? {}) as Array<{ statement?: Array<Record<string, any>> }>;
  return docs.flatMap((d) => d.statement ?? []);
}

/** Top-level keys of a rendered values document that the chart's default values.yaml does not have. */
export function unknownTopLevelKeys(values: Readonly<Record<string, unknown>>, chartKeys: readonly string[]): string[] {
  return Object.keys(values).filter((k) => !chartKeys.includes(k));
}
