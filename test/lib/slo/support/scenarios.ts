/**
 * The promtool proofs as scenarios: a traffic profile, and checks whose expected values come from the
 * Workbook math (window table, objective, error ratio), never from the compiler's output.
 *
 * Time 0 is the first sample; T0 = 6h10m of good traffic first, so every page window is full of history.
 */
import type { SloDefinition } from "../../../../lib/slo/model";
import { detectionSeconds, durationSeconds, type PeriodWindows } from "../../../../lib/slo/windows";
import type { ExprCheck, TestGroup } from "./promtool-tests";
import { seriesFor, type Segment } from "./series";

export const STEP = 30; // scrape interval, s
export const EVAL = 30; // promtool evaluation interval, s
export const BASE = 300; // base window (5m), s
export const T0 = 6 * 3600 + 600;
/**
 * 100,000 requests per scrape: every error ratio used here (1, 1 %, 0.09 %, 0.05 %) gives whole numbers of
 * errors per scrape, so promtool's float expansion of `a+bxn` never makes a counter step backwards (a fake
 * counter reset) at a segment boundary.
 */
const PER_SCRAPE = 100000;

const floorTo = (t: number, g: number) => Math.floor(t / g) * g;
const ceilTo = (t: number, g: number) => Math.ceil(t / g) * g;

export interface Scenario {
  readonly group: TestGroup;
  /** promtool evaluation interval for this scenario's file, s. */
  readonly evaluationInterval: number;
  /** Expressions whose values are worth reporting (probe), at given times. */
  readonly probes: readonly ExprCheck[];
  /** Numbers from the math, for the report. */
  readonly bound: Record<string, number>;
}

function sel(def: SloDefinition, extra = ""): string {
  return `{sre_id="${def.id}"${extra}}`;
}
const firingPage = (def: SloDefinition) => `count(ALERTS${sel(def, ', alertstate="firing", sre_severity="page"')})`;
const anyAlert = (def: SloDefinition, range: number) => `count(max_over_time(ALERTS${sel(def)}[${range}s]))`;
const ONE = [{ labels: "{}", value: 1 }];

function group(def: SloDefinition, name: string, profile: Segment[], duration: number, checks: ExprCheck[], step = STEP, phase = 0.5): TestGroup {
  const rps = (p: Segment) => (p.rps === 0 ? 0 : PER_SCRAPE / step);
  const scaled = profile.map((p) => ({ ...p, rps: rps(p) }));
  return { name: `${def.sli.kind}: ${name}`, step, series: seriesFor(def.sli, scaled, { step, duration, targets: 20, phase }), checks };
}

/** Burn rate 10 pages through the 6h/30m pair, never through the 1h/5m pair. */
export function burnRate10(def: SloDefinition, w: PeriodWindows): Scenario {
  const budget = (100 - def.objective) / 100;
  const e = 10 * budget;
  const [quick, slow] = w.page;
  const exact = detectionSeconds(def.objective, e, slow); // 3.6 h for 30d/99.9
  // Derived windows lag the exact ones by S/2 under a linear ramp (docs/slo-compiler.md), never lead them.
  const notBefore = floorTo(T0 + exact, EVAL) - EVAL;
  const firingBy = ceilTo(T0 + exact + BASE / 2, EVAL) + 2 * EVAL;
  const end = firingBy + 600;
  const thrQuick = quick.factor * budget;
  const thrSlow = slow.factor * budget;
  return {
    group: group(def, "burn rate 10 pages through the 6h pair, not the 1h pair", [
      { from: 0, rps: 1, errorRatio: 0 },
      { from: T0, rps: 1, errorRatio: e },
    ], end, [
      { expr: firingPage(def), at: notBefore, expect: [], why: "before the exact 6h window crosses" },
      { expr: firingPage(def), at: firingBy, expect: ONE, why: "6h pair, + S/2 + 2 evaluations" },
      { expr: `count(slo:sli_error:ratio_rate6h${sel(def)} > ${thrSlow})`, at: firingBy, expect: ONE },
      { expr: `count(max_over_time(slo:sli_error:ratio_rate1h${sel(def)}[${end}s]) < ${thrQuick})`, at: end, expect: ONE, why: "1h window never over 14.4×" },
    ]),
    evaluationInterval: EVAL,
    probes: [{ expr: `min_over_time(timestamp(ALERTS${sel(def, ', sre_severity="page"')})[${end - T0}s:${EVAL}s]) - ${T0}`, at: end, expect: [] }],
    bound: { workbookSeconds: exact, deadlineSeconds: firingBy - T0 },
  };
}

/**
 * Burn rate 0.9 from the start never alerts (page or ticket), over three days, or over one day for a steady SLI.
 *
 * Steady: the SLI's 5m signal is the same number at every evaluation under a constant profile (counters: the
 * errors and the total grow in proportion from the first sample), so every window, full or still filling,
 * averages that number, and every evaluation takes the same alert decision. Three days add nothing then but
 * promtool time (every 1d and 3d window re-reads its whole history at every evaluation); one day, in which every
 * window up to 1d fills, is enough. The scenario does not take that on trust: it checks that each window the alerts
 * read held one value (max = min) over the whole run after the first 10 minutes. Availability is not steady
 * (whole targets go down, so a window's value depends on where its edges fall): it runs the three days.
 */
export function burnRate09(def: SloDefinition, w: PeriodWindows, steady: boolean): Scenario {
  const e = 0.9 * ((100 - def.objective) / 100);
  const end = (steady ? 1 : 3) * 86400;
  const warmUp = 600;
  const windows = [...new Set(["5m", ...[...w.page, ...w.ticket].flatMap((p) => [p.shortWindow, p.longWindow])])];
  const sameValue = windows.map((win) => {
    const over = `(slo:sli_error:ratio_rate${win}${sel(def)}[${end - warmUp}s])`;
    return { expr: `count(max_over_time${over} - min_over_time${over} <= 1e-9 * max_over_time${over})`, at: end, expect: ONE, why: `the ${win} window is steady` };
  });
  // 3 days at a 30s evaluation costs promtool minutes (every 3d window re-reads all history); a 2m
  // evaluation over 1m scrapes is 16× cheaper and still checks every evaluation for a firing alert.
  return {
    group: group(def, `burn rate 0.9 never alerts over ${steady ? "a day (steady SLI)" : "three days"}`, [{ from: 0, rps: 1, errorRatio: e }], end, [
      { expr: anyAlert(def, end), at: end, expect: [] },
      { expr: `count(slo:sli_error:ratio_rate3d${sel(def)} > 0)`, at: end, expect: ONE, why: "the windows did see the errors" },
      ...(steady ? sameValue : []),
    ], 60, 0),
    evaluationInterval: 120,
    probes: [],
    bound: {},
  };
}

/**
 * A 30m total outage from T0, then recovery at T1:
 * - the page fires within the Workbook detection time of the 1h pair plus two evaluations;
 * - the page stops once the short windows no longer see the errors (exact 30m window: T1 + 30m − 10.8 s;
 *   derived: at most S later), checked at T1 + 30m + S + 2 evaluations.
 */
export function outageThenRecovery(def: SloDefinition, w: PeriodWindows): Scenario {
  const detect = detectionSeconds(def.objective, 1, w.page[0]);
  const deadline = floorTo(T0 + detect + 2 * EVAL, EVAL);
  const t1 = T0 + 1800;
  const longestShort = Math.max(...w.page.map((p) => durationSeconds(p.shortWindow)));
  const budget = (100 - def.objective) / 100;
  const stoppedBy = ceilTo(t1 + longestShort + BASE, EVAL) + 2 * EVAL;
  const end = stoppedBy + 600;
  const page = `ALERTS${sel(def, ', sre_severity="page"')}`;
  return {
    group: group(def, "total outage pages within the Workbook time + 2 evaluations, stops after recovery", [
      { from: 0, rps: 1, errorRatio: 0 },
      { from: T0, rps: 1, errorRatio: 1 },
      { from: t1, rps: 1, errorRatio: 0 },
    ], end, [
      { expr: firingPage(def), at: T0, expect: [], why: "no errors yet" },
      { expr: firingPage(def), at: deadline, expect: ONE, why: `Workbook: ${detect}s + 2 × ${EVAL}s` },
      { expr: firingPage(def), at: t1, expect: ONE },
      { expr: firingPage(def), at: t1 + longestShort - 300, expect: ONE, why: "the 30m window still sees the outage" },
      { expr: firingPage(def), at: stoppedBy, expect: [] },
    ]),
    evaluationInterval: EVAL,
    probes: [
      { expr: `min_over_time(timestamp(${page})[${end - T0}s:${EVAL}s]) - ${T0}`, at: end, expect: [] },
      { expr: `max_over_time(timestamp(${page})[${end - T0}s:${EVAL}s]) + ${EVAL} - ${t1}`, at: end, expect: [] },
    ],
    bound: {
      workbookDetectSeconds: detect,
      detectDeadlineSeconds: deadline - T0,
      exactStopSeconds: longestShort - (w.page[1].factor * budget * longestShort),
      stopDeadlineSeconds: stoppedBy - t1,
    },
  };
}

/** Zero traffic: no alert, and the remaining budget is a number (1); then traffic followed by silence. */
export function zeroTraffic(def: SloDefinition): Scenario {
  const end = 2 * 3600;
  const budget = `slo:period_error_budget_remaining:ratio${sel(def)}`;
  const silent = group(def, "zero traffic: no alert, budget is a number", [{ from: 0, rps: 0, errorRatio: 0 }], end, [
    { expr: anyAlert(def, end), at: end, expect: [] },
    ...[600, 3600, end].map((at) => ({ expr: `sum(${budget})`, at, expect: [{ labels: "{}", value: 1 }] })),
  ]);
  return { group: silent, evaluationInterval: EVAL, probes: [], bound: {} };
}

/** Traffic with 0.5% errors for 1h, then silence: the budget stays a number strictly between 0 and 1. */
export function trafficThenSilence(def: SloDefinition): Scenario {
  const end = 3 * 3600;
  const budget = `slo:period_error_budget_remaining:ratio${sel(def)}`;
  return {
    group: group(def, "traffic then silence: budget stays a number", [
      { from: 0, rps: 1, errorRatio: 0.0005 },
      { from: 3600, rps: 0, errorRatio: 0 },
    ], end, [
      ...[3600 + 600, end].map((at) => ({ expr: `count(${budget} > 0 < 1)`, at, expect: ONE })),
    ]),
    evaluationInterval: EVAL,
    probes: [],
    bound: {},
  };
}
