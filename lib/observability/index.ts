/**
 * Observability, framework-free: alert tiers, Alertmanager configuration and Grafana dashboards.
 */
export * from "./priorities";
export * as alertmanager from "./alertmanager";
export * as dashboards from "./dashboards";
