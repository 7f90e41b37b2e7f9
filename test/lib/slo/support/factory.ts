/** Builds SloDefinitions directly (no parsing), for the compiler's own tests. */
import type { ServiceDown, Sli, SloDefinition, SloPeriod } from "../../../../lib/slo/model";

export interface SloOverrides {
  service?: string;
  name?: string;
  objective?: number;
  period?: SloPeriod;
  labels?: Record<string, string>;
  sli?: Sli;
  alertName?: string;
  pageDisabled?: boolean;
  ticketDisabled?: boolean;
  runbookUrl?: string;
  alertLabels?: Record<string, string>;
  alertAnnotations?: Record<string, string>;
  serviceDown?: ServiceDown;
}

export const EVENTS_SLI: Sli = {
  kind: "events",
  errorQuery: 'sum(rate(http_requests_total{job="api",code=~"5.."}[{{.window}}]))',
  totalQuery: 'sum(rate(http_requests_total{job="api"}[{{.window}}]))',
};
export const RAW_SLI: Sli = {
  kind: "raw",
  errorRatioQuery:
    'sum(rate(http_requests_total{job="api",code=~"5.."}[{{.window}}]))\n/\nsum(rate(http_requests_total{job="api"}[{{.window}}]))',
};
export const LATENCY_SLI: Sli = {
  kind: "latency",
  metric: "http_request_duration_seconds",
  selector: 'job="api"',
  threshold: "0.3",
};
export const AVAILABILITY_SLI: Sli = { kind: "availability", gaugeQuery: 'up{job="api"}' };

export const SLI_BY_KIND = {
  events: EVENTS_SLI,
  raw: RAW_SLI,
  latency: LATENCY_SLI,
  availability: AVAILABILITY_SLI,
} as const;

export function makeSlo(o: SloOverrides = {}): SloDefinition {
  const service = o.service ?? "api";
  const name = o.name ?? "requests";
  const def: SloDefinition = {
    service,
    name,
    id: `${service}-${name}`,
    objective: o.objective ?? 99.9,
    labels: o.labels ?? { team: "platform" },
    sli: o.sli ?? EVENTS_SLI,
    ...(o.period !== undefined ? { period: o.period } : {}),
    alerting: {
      name: o.alertName ?? "ApiRequestsBudgetBurn",
      labels: o.alertLabels ?? {},
      annotations: o.alertAnnotations ?? {},
      page: { disabled: o.pageDisabled ?? false, labels: { tier: "p1" }, annotations: {} },
      ticket: { disabled: o.ticketDisabled ?? false, labels: { tier: "p3" }, annotations: {} },
      ...(o.runbookUrl !== undefined ? { runbookUrl: o.runbookUrl } : {}),
    },
    ...(o.serviceDown !== undefined ? { serviceDown: o.serviceDown } : {}),
    source: { file: "<test>", format: "sre-platform/v1", index: 0 },
  };
  return def;
}
