/**
 * Stage `steady-state`: compiled SLOs → Litmus `promProbe`s that hold a chaos experiment to the service's SLOs.
 *
 * A chaos experiment may hurt a service only as far as its SLOs allow. Every SLO of the target service gives two
 * probes, both on the series the compiler records (names from `conventions.ts`, never written twice):
 *
 * - **burn rate under the page threshold** (`Continuous`, `stopOnFailure: true`): the 5-minute burn rate
 *   (`slo:current_burn_rate:ratio`) stays below the factor of the page alert's quick pair (14.4 for a 30-day SLO:
 *   2 % of the budget in an hour). Above it, real users are hurt fast enough to page someone, so the probe aborts the
 *   experiment: the engine is stopped and the chaos reverted, not just marked failed at the end.
 * - **remaining budget above a floor** (`Edge`, checked before and after the chaos, `stopOnFailure: false`):
 *   `slo:period_error_budget_remaining:ratio` stays above the floor. Before the chaos, a failed check means the
 *   experiment injects nothing (Litmus skips the chaos when a pre-chaos probe fails); after it, the verdict records
 *   that the experiment spent the reserve. Neither moment has chaos running to stop, so stopping is left off.
 *
 * The threshold is the page alert's, whether or not the environment pages for the SLO (dev turns paging off): the
 * steady state is what the SLO says, not who is woken.
 *
 * Litmus runs a probe's query as `promql --host <endpoint> "<query>" --output csv` through `/bin/sh` and reads
 * exactly one row. So every query aggregates to one series (`max`/`min`, no labels), and label values are
 * single-quoted (PromQL accepts both quotes): a double quote, `$`, backquote or backslash would break or expand
 * inside the shell's double quotes. An empty result (the SLO's rules are not loaded) fails the probe, as it
 * should: a steady state nobody can observe is not a steady state.
 * @see https://docs.litmuschaos.io/docs/concepts/probes#promprobe
 */
import { SloError, type SloDiagnostic } from "./model";
import type { CompiledSlo } from "./compile";
import * as c from "./conventions";
import { roundFactor } from "./windows";

/** How the probes run and what they compare against. */
export interface SteadyStateOptions {
  /** The environment's Prometheus, a full `http://` or `https://` URL (`http://…svc:9090`). */
  readonly prometheusUrl: string;
  /**
   * Share of the period's error budget (0 ≤ floor < 1) that must remain before and after an experiment.
   * @default 0.25
   */
  readonly budgetFloor?: number;
  /**
   * Time for one query, a duration string as Litmus 3 takes it.
   * @default "5s"
   */
  readonly probeTimeout?: string;
  /**
   * Wait between attempts of one check (and, for the continuous probe, between checks).
   * @default "10s"
   */
  readonly interval?: string;
  /**
   * Tries of one check before it counts as failed (a transient query error is retried).
   * @default 2
   */
  readonly attempt?: number;
}

/** A Litmus 3 `promProbe`, as it goes into `ChaosEngine.spec.experiments[].spec.probe`. */
export interface PromProbe {
  readonly name: string;
  readonly type: "promProbe";
  readonly mode: "Continuous" | "Edge";
  readonly "promProbe/inputs": {
    readonly endpoint: string;
    readonly query: string;
    readonly comparator: { readonly criteria: "<" | ">"; readonly value: string };
  };
  readonly runProperties: {
    readonly probeTimeout: string;
    readonly interval: string;
    readonly probePollingInterval?: string;
    readonly attempt: number;
    readonly stopOnFailure: boolean;
  };
}

/** Defaults of {@link SteadyStateOptions}. */
export const STEADY_STATE_DEFAULTS = { budgetFloor: 0.25, probeTimeout: "5s", interval: "10s", attempt: 2 } as const;

/** Characters a query may not contain: it is pasted between double quotes of a `/bin/sh -c` command. */
const SHELL_UNSAFE = /["$`\\]/;
/** A Litmus 3 duration string: `500ms`, `5s`, `2m`, `1h`, or combinations (`1m30s`). */
const DURATION = /^(\d+(ms|s|m|h))+$/;
const SAFE_ID = /^[A-Za-z0-9_.:-]+$/;

/** The short-window burn-rate threshold of an SLO: the factor of its page alert's pair whose short window is 5m. */
export function pageBurnRateThreshold(slo: CompiledSlo): number {
  const quick = slo.windows.page.find((p) => p.shortWindow === c.BASE_WINDOW) ?? slo.windows.page[0];
  return quick.factor;
}

/** `metric{sre_id='<id>'}`: the SLO's series, with the label value single-quoted for the shell (see the file header). */
export function probeSelector(metric: string, sloId: string): string {
  return `${metric}{${c.LABEL_ID}='${sloId}'}`;
}

/** Problems with the options, as `steady-state` diagnostics. */
export function steadyStateOptionProblems(opts: SteadyStateOptions): SloDiagnostic[] {
  const problems: SloDiagnostic[] = [];
  const add = (field: string, message: string) => problems.push({ file: "<options>", field, stage: "steady-state", message });
  if (!/^https?:\/\/[^\s/"$`\\]+(\/[^\s"$`\\]*)?$/.test(opts.prometheusUrl)) {
    add("prometheusUrl", `got ${JSON.stringify(opts.prometheusUrl)}; allowed: a full http:// or https:// URL of Prometheus, without spaces, quotes, $ or backslashes`);
  }
  const floor = opts.budgetFloor ?? STEADY_STATE_DEFAULTS.budgetFloor;
  if (!Number.isFinite(floor) || floor < 0 || floor >= 1) add("budgetFloor", `got ${floor}; allowed: a share of the error budget, 0 ≤ floor < 1`);
  for (const key of ["probeTimeout", "interval"] as const) {
    const v = opts[key];
    if (v !== undefined && !DURATION.test(v)) add(key, `got ${JSON.stringify(v)}; allowed: a duration string such as "5s", "500ms" or "1m30s"`);
  }
  const attempt = opts.attempt ?? STEADY_STATE_DEFAULTS.attempt;
  if (!Number.isInteger(attempt) || attempt < 1 || attempt > 10) add("attempt", `got ${attempt}; allowed: a whole number from 1 to 10`);
  return problems;
}

/**
 * The steady-state probes of a service: two per SLO (see the file header), in the order of the SLOs.
 * @throws SloError (stage `steady-state`) for bad options, a service with no SLO, or an SLO id a shell would mangle.
 */
export function steadyStateProbes(compiled: readonly CompiledSlo[], service: string, opts: SteadyStateOptions): PromProbe[] {
  const problems = steadyStateOptionProblems(opts);
  const slos = compiled.filter((s) => s.slo.service === service);
  if (slos.length === 0) {
    const known = [...new Set(compiled.map((s) => s.slo.service))].sort();
    problems.push({ file: "<options>", field: "service", stage: "steady-state", message: `service ${JSON.stringify(service)} has no SLO; services with SLOs: ${known.join(", ") || "none"}` });
  }
  for (const s of slos) {
    if (!SAFE_ID.test(s.slo.id)) {
      problems.push({ file: s.slo.source.file, slo: s.slo.id, stage: "steady-state", message: "the SLO id has characters a probe's shell command would mangle; allowed: letters, digits, '_', '.', ':' and '-'" });
    }
  }
  if (problems.length > 0) throw new SloError(problems);

  const floor = opts.budgetFloor ?? STEADY_STATE_DEFAULTS.budgetFloor;
  const timing = {
    probeTimeout: opts.probeTimeout ?? STEADY_STATE_DEFAULTS.probeTimeout,
    interval: opts.interval ?? STEADY_STATE_DEFAULTS.interval,
    attempt: opts.attempt ?? STEADY_STATE_DEFAULTS.attempt,
  };
  const probes: PromProbe[] = [];
  for (const s of slos) {
    const id = s.slo.id;
    probes.push({
      name: `${id}-burn-rate-under-page`,
      type: "promProbe",
      mode: "Continuous",
      "promProbe/inputs": {
        endpoint: opts.prometheusUrl,
        query: `max(${probeSelector(c.CURRENT_BURN_RATE, id)})`,
        comparator: { criteria: "<", value: String(roundFactor(pageBurnRateThreshold(s))) },
      },
      // Checked all through the experiment; a page-level burn stops the chaos there and then.
      runProperties: { ...timing, probePollingInterval: timing.interval, stopOnFailure: true },
    });
    probes.push({
      name: `${id}-budget-above-floor`,
      type: "promProbe",
      mode: "Edge",
      "promProbe/inputs": {
        endpoint: opts.prometheusUrl,
        query: `min(${probeSelector(c.PERIOD_BUDGET_REMAINING, id)})`,
        comparator: { criteria: ">", value: String(roundFactor(floor)) },
      },
      // Before the chaos a failure already skips the injection; after it there is nothing left to stop.
      runProperties: { ...timing, stopOnFailure: false },
    });
  }
  for (const p of probes) {
    if (SHELL_UNSAFE.test(p["promProbe/inputs"].query)) throw new Error(`steady-state: probe ${p.name} would not survive the shell: ${p["promProbe/inputs"].query}`);
  }
  return probes;
}
