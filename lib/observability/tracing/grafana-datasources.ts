/**
 * Grafana's data sources for traces, in Grafana's provisioning shape (kube-prometheus-stack's
 * `grafana.additionalDataSources`): Tempo, linked to the platform's Prometheus for span metrics (trace → RED metrics of
 * its service) and the service graph, both series the collector's `spanmetrics` and `servicegraph` connectors write.
 * @see https://grafana.com/docs/grafana/latest/datasources/tempo/configure-tempo-data-source/#provision-the-data-source
 */

/** The uid of the Prometheus data source kube-prometheus-stack provisions (set explicitly in its values). */
export const PROMETHEUS_DATASOURCE_UID = "prometheus";

/** The uid of the Tempo data source, for links into it. */
export const TEMPO_DATASOURCE_UID = "tempo";

/** Where Tempo is, by name: the namespace, Service and HTTP port the Tempo add-on installs. */
export const TEMPO_LOCATION = { namespace: "tempo", service: "tempo", httpPort: 3200, otlpGrpcPort: 4317 } as const;

/** Tempo's HTTP API inside the cluster. */
export function tempoQueryUrl(location: { readonly namespace: string; readonly service: string; readonly httpPort: number } = TEMPO_LOCATION): string {
  return `http://${location.service}.${location.namespace}.svc.cluster.local:${location.httpPort}`;
}

/** The span metrics' names as the collector's Prometheus exporter writes them (spanmetrics connector defaults). */
export const SPAN_METRICS = {
  calls: "traces_span_metrics_calls_total",
  durationBucket: "traces_span_metrics_duration_milliseconds_bucket",
} as const;

/** A data source entry of Grafana's provisioning file. */
export type GrafanaDataSource = Readonly<Record<string, unknown>>;

/**
 * The Tempo data source: read-only (provisioned), trace → metrics through the span metrics of the trace's service
 * (rate, errors, p95), the service graph and node graph from the same Prometheus.
 */
export function tempoDataSource(url: string = tempoQueryUrl(), prometheusUid: string = PROMETHEUS_DATASOURCE_UID): GrafanaDataSource {
  return {
    name: "Tempo",
    type: "tempo",
    uid: TEMPO_DATASOURCE_UID,
    access: "proxy",
    url,
    editable: false,
    jsonData: {
      tracesToMetrics: {
        datasourceUid: prometheusUid,
        spanStartTimeShift: "-5m",
        spanEndTimeShift: "5m",
        // The trace's `service.name` is the metrics' `service_name` label.
        tags: [{ key: "service.name", value: "service_name" }],
        queries: [
          { name: "Request rate", query: `sum(rate(${SPAN_METRICS.calls}{$__tags}[5m]))` },
          { name: "Error rate", query: `sum(rate(${SPAN_METRICS.calls}{$__tags,status_code="STATUS_CODE_ERROR"}[5m]))` },
          { name: "p95 latency (ms)", query: `histogram_quantile(0.95, sum by (le) (rate(${SPAN_METRICS.durationBucket}{$__tags}[5m])))` },
        ],
      },
      serviceMap: { datasourceUid: prometheusUid },
      nodeGraph: { enabled: true },
      search: { hide: false },
    },
  };
}
