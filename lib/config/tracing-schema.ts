import { z } from "zod";
import { ResourcesSchema } from "./platform-schema";
import { PROMETHEUS_DURATION_RULE, prometheusDurationSeconds } from "../kubernetes/durations";

/**
 * `observability.tracing`: distributed tracing for the environment's workloads. An OpenTelemetry Collector receives
 * OTLP from the team namespaces, samples, and exports to Tempo, which keeps the traces in an S3 bucket of the storage
 * layer for `retentionDays`. Absent or `enabled: false`, none of it is built. Rules between fields (tail sampling on one
 * collector replica) are the constructs' own validators', run at this path before anything is built.
 */

/** A positive duration Prometheus-style (`500ms`, `2s`), for a span latency threshold. */
const latency = z.string().refine((d) => (prometheusDurationSeconds(d) ?? 0) > 0, { message: `${PROMETHEUS_DURATION_RULE}, above zero (e.g. 500ms or 2s)` });

export const TracingSamplingSchema = z.strictObject({
  /** Share of traces kept, in percent (0 < p ≤ 100); 100 keeps every trace and needs no sampler. */
  percentage: z.number().refine((p) => p > 0 && p <= 100, { message: "a percentage above 0 and at most 100 (no tracing at all is tracing.enabled: false)" }),
  /** Keep every trace with a span whose status is ERROR, whatever the percentage (tail sampling). */
  keepErrors: z.boolean(),
  /** Keep every trace that lasted longer than this (tail sampling). @default - no latency rule */
  slowerThan: latency.optional(),
});

export const TracingConfigSchema = z.strictObject({
  /** Build the collector, Tempo and the traces bucket. */
  enabled: z.boolean(),
  sampling: TracingSamplingSchema,
  /** Days Tempo keeps a trace (its compactor's block retention); the bucket expires objects a day later. */
  retentionDays: z.number().int().min(1).max(365),
  /** Tempo (single binary): its size and the volume of its write-ahead log. */
  tempo: z.strictObject({ resources: ResourcesSchema, walStorageGiB: z.number().int().min(1).max(1000) }),
  /** The OpenTelemetry Collector (a Deployment). */
  collector: z.strictObject({ replicas: z.number().int().min(1).max(10), resources: ResourcesSchema }),
});

export type TracingConfig = z.infer<typeof TracingConfigSchema>;
export type TracingSamplingConfig = z.infer<typeof TracingSamplingSchema>;
