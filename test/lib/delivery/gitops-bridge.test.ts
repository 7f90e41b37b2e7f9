import { annotationRef, bridgeValues } from "../../../lib/delivery/gitops-bridge";

const deployTime = (s: string) => s.startsWith("${");

describe("bridgeValues", () => {
  test("a release's own IRSA role keeps the gitops-bridge name; each component's role of a chart gets its own", () => {
    const { values, annotations } = bridgeValues("kube-prometheus-stack", {
      serviceAccount: { annotations: { "eks.amazonaws.com/role-arn": "${aws_iam_role.a.arn}" } },
      prometheus: { serviceAccount: { annotations: { "eks.amazonaws.com/role-arn": "${aws_iam_role.prometheus.arn}" } } },
      grafana: { serviceAccount: { annotations: { "eks.amazonaws.com/role-arn": "${aws_iam_role.grafana.arn}" } } },
    }, deployTime);
    expect(annotations).toEqual({
      kube_prometheus_stack_iam_role_arn: "${aws_iam_role.a.arn}",
      kube_prometheus_stack_prometheus_iam_role_arn: "${aws_iam_role.prometheus.arn}",
      kube_prometheus_stack_grafana_iam_role_arn: "${aws_iam_role.grafana.arn}",
    });
    expect((values as any).grafana.serviceAccount.annotations["eks.amazonaws.com/role-arn"]).toBe(annotationRef("kube_prometheus_stack_grafana_iam_role_arn"));
  });
});
