import type { IPod } from "kubernetes-models/v1/Pod";
import type { IService } from "kubernetes-models/v1/Service";
import type { IPodSpec, IContainer } from "kubernetes-models/v1";
import { hardenedContainerSecurityContext, hardenedPodSecurityContext } from "../../../../../lib/kubernetes/security-context";

/** Sample manifests, typed with the upstream API models so a sample is a real object of its kind. */

export const REGISTRIES = ["quay.io/prometheus", "111111111111.dkr.ecr.eu-west-1.amazonaws.com", "registry.example.com:5000"];
export const GOOD_IMAGE = "quay.io/prometheus/prometheus:v3.5.0";

/** A container that every policy admits. */
export function goodContainer(name = "app", overrides: Partial<IContainer> = {}): IContainer {
  return {
    name,
    image: GOOD_IMAGE,
    securityContext: hardenedContainerSecurityContext(),
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
    readinessProbe: { httpGet: { path: "/-/ready", port: 9090 } },
    livenessProbe: { httpGet: { path: "/-/healthy", port: 9090 } },
    ...overrides,
  };
}

/** A pod spec that every policy admits. */
export function goodPodSpec(overrides: Partial<IPodSpec> = {}): IPodSpec {
  return { securityContext: hardenedPodSecurityContext(), containers: [goodContainer()], ...overrides };
}

export function pod(spec: IPodSpec, metadata: IPod["metadata"] = { name: "app" }): Record<string, unknown> {
  return { apiVersion: "v1", kind: "Pod", metadata, spec } satisfies IPod;
}

const TEMPLATE_KINDS = {
  Deployment: "apps/v1",
  StatefulSet: "apps/v1",
  DaemonSet: "apps/v1",
  ReplicaSet: "apps/v1",
  ReplicationController: "v1",
  Job: "batch/v1",
} as const;

/** A workload of `kind` whose pod template has `spec`. */
export function workload(kind: keyof typeof TEMPLATE_KINDS | "CronJob", spec: IPodSpec, name = "app"): Record<string, unknown> {
  const template = { metadata: { labels: { app: name } }, spec };
  if (kind === "CronJob") {
    return { apiVersion: "batch/v1", kind, metadata: { name }, spec: { schedule: "0 * * * *", jobTemplate: { spec: { template } } } };
  }
  const selector = kind === "Job" || kind === "ReplicationController" ? {} : { selector: { matchLabels: { app: name } } };
  return { apiVersion: TEMPLATE_KINDS[kind], kind, metadata: { name }, spec: { ...selector, template } };
}

/** A pod as a controller creates it: owned by `kind`/`name`. */
export function ownedPod(spec: IPodSpec, kind: string, name: string): Record<string, unknown> {
  return pod(spec, { name: `${name}-x7k2p`, ownerReferences: [{ apiVersion: "apps/v1", kind, name, uid: "0b8a3c1e-5b2f-4c1e-9d7a-3f1e2d4c5b6a", controller: true }] });
}

/** A Service selecting `app: name` on port 8080, with `spec` merged over that. */
export function service(spec: NonNullable<IService["spec"]> = {}, name = "app"): Record<string, unknown> {
  return { apiVersion: "v1", kind: "Service", metadata: { name }, spec: { selector: { app: name }, ports: [{ name: "http", port: 8080, targetPort: 8080 }], ...spec } } satisfies IService;
}
