import { helmCoalesce, istioTemplateValues, subchartValues } from "./helm-merge";

describe("helmCoalesce", () => {
  test("maps merge recursively; lists and scalars replace", () => {
    const chart = { resources: { requests: { cpu: "100m", memory: "512Mi" } }, tolerations: [{ key: "a" }], replicas: 1, image: { tag: "x", pullPolicy: "IfNotPresent" } };
    const user = { resources: { requests: { memory: "1Gi" } }, tolerations: [{ key: "b" }], replicas: 2, image: { tag: "y" } };
    expect(helmCoalesce(user, chart)).toEqual({
      resources: { requests: { cpu: "100m", memory: "1Gi" } }, tolerations: [{ key: "b" }], replicas: 2, image: { tag: "y", pullPolicy: "IfNotPresent" },
    });
  });

  test("a chart key the release does not name survives a merge next to it: a CPU limit beside a memory limit", () => {
    const chart = { resources: { limits: { cpu: "1000m", memory: "1024Mi" } } };
    expect(helmCoalesce({ resources: { limits: { memory: "1Gi" } } }, chart)).toEqual({ resources: { limits: { cpu: "1000m", memory: "1Gi" } } });
  });

  test("null removes the chart's key, at any depth", () => {
    const chart = { resources: { limits: { cpu: "1000m", memory: "1024Mi" } }, podDisruptionBudget: { enabled: true } };
    expect(helmCoalesce({ resources: { limits: { cpu: null, memory: "1Gi" } }, podDisruptionBudget: null }, chart)).toEqual({ resources: { limits: { memory: "1Gi" } } });
  });

  test("a null with no chart map under it stays, as Helm leaves it (a template would render it)", () => {
    expect(helmCoalesce({ resources: { limits: { cpu: null } } }, { resources: {} })).toEqual({ resources: { limits: { cpu: null } } });
    expect(helmCoalesce({ extra: null }, {})).toEqual({ extra: null });
  });

  test("the inputs are left unchanged", () => {
    const chart = { a: { b: 1 } };
    const user = { a: { c: 2 } };
    helmCoalesce(user, chart);
    expect([chart, user]).toEqual([{ a: { b: 1 } }, { a: { c: 2 } }]);
  });
});

test("subchartValues merges the parent's section over the sub-chart's own defaults", () => {
  expect(subchartValues({ resources: { limits: { memory: "1Gi" } } }, { resources: {}, replicaCount: 1 })).toEqual({ resources: { limits: { memory: "1Gi" } }, replicaCount: 1 });
  expect(subchartValues(undefined, { replicaCount: 1 })).toEqual({ replicaCount: 1 });
});

describe("istioTemplateValues", () => {
  const chart = { _internal_defaults_do_not_set: { resources: { requests: { cpu: "100m" }, limits: { cpu: "2000m", memory: "1024Mi" } }, replicaCount: null } };

  test("merges the values over the defaults the chart keeps aside", () => {
    expect(istioTemplateValues(helmCoalesce({ resources: { limits: { memory: "1Gi" } }, replicaCount: 2 }, chart))).toEqual({
      resources: { requests: { cpu: "100m" }, limits: { cpu: "2000m", memory: "1Gi" } }, replicaCount: 2,
    });
  });

  test("a top-level null is copied over the default, not removed", () => {
    expect(istioTemplateValues(helmCoalesce({ resources: { limits: { cpu: null } } }, chart))).toEqual({
      resources: { requests: { cpu: "100m" }, limits: { cpu: null, memory: "1024Mi" } }, replicaCount: null,
    });
  });

  test("a null under _internal_defaults_do_not_set removes the default itself", () => {
    const user = { _internal_defaults_do_not_set: { resources: { limits: { cpu: null } } }, resources: { limits: { memory: "1Gi" } } };
    expect(istioTemplateValues(helmCoalesce(user, chart))).toEqual({ resources: { requests: { cpu: "100m" }, limits: { memory: "1Gi" } }, replicaCount: null });
  });
});
