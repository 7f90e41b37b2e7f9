import type { AddonDescriptor } from "../registry/addon-descriptor";
import { MetricsServer } from "./metrics-server";

/** metrics-server (`platform.metricsServer`): resource metrics for the HPA and `kubectl top`, in `kube-system`. */
export const metricsServerAddon: AddonDescriptor<MetricsServer> = {
  name: "metrics-server",
  layer: "platform",
  summary: "resource metrics for HorizontalPodAutoscalers and `kubectl top`",
  configPath: "platform.metricsServer",
  namespaces: [],
  images: ["registry.k8s.io/metrics-server/metrics-server"],
  registries: ["registry.k8s.io/metrics-server"],
  workloads: [
    {
      kind: "Deployment", name: "metrics-server", namespace: "kube-system", podSecurityContext: ["podSecurityContext"],
      containers: [{ name: "metrics-server", image: "registry.k8s.io/metrics-server/metrics-server:v1.0.0", securityContext: ["securityContext"], resources: ["resources"] }],
    },
  ],
  enabled: (config) => config.platform.metricsServer,
  build: (ctx) => new MetricsServer(ctx.scope, "MetricsServer", { cluster: ctx.cluster, tolerations: ctx.placement.tolerations, access: ctx.access }),
};
