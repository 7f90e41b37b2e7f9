/** Prometheus durations (`30s`, `15d`, `1h30m`), as Prometheus and Alertmanager take them. */
export const PROMETHEUS_DURATION = /^((\d+)y)?((\d+)w)?((\d+)d)?((\d+)h)?((\d+)m)?((\d+)s)?((\d+)ms)?$/;
export const PROMETHEUS_DURATION_RULE = "a Prometheus duration such as 30s, 1m, 15d or 1h30m";

/** Seconds of a Prometheus duration, or undefined when it is not one (or empty). */
export function prometheusDurationSeconds(text: string): number | undefined {
  const m = PROMETHEUS_DURATION.exec(text);
  if (!m || text === "") return undefined;
  const n = (i: number) => Number(m[i] ?? 0);
  return n(2) * 31536000 + n(4) * 604800 + n(6) * 86400 + n(8) * 3600 + n(10) * 60 + n(12) + n(14) / 1000;
}
