/**
 * Input series for promtool unit tests, generated from a traffic profile (requests per second and error
 * ratio over time), in the shape each SLI kind reads. Counters are cumulative sums of the profile; the
 * availability gauges are 0 for a share of the targets equal to the error ratio.
 */
import type { Sli } from "../../../../lib/slo/model";

export interface Segment {
  /** Start of the segment, seconds since the start of the test. */
  readonly from: number;
  readonly rps: number;
  /** Share of bad events (or of down targets) in this segment. */
  readonly errorRatio: number;
}

export interface InputSeries {
  readonly series: string;
  readonly values: string;
}

/** Segments must be sorted by `from`; the first must start at 0. */
export function segmentAt(profile: readonly Segment[], t: number): Segment {
  let cur = profile[0]!;
  for (const s of profile) if (s.from <= t) cur = s;
  return cur;
}

const fmt = (x: number) => String(Number(x.toPrecision(12)));

/** Compresses a value list into promtool's expanding notation (`a+bxn` runs). */
export function compress(values: readonly (number | undefined)[]): string {
  const out: string[] = [];
  let i = 0;
  while (i < values.length) {
    const v = values[i];
    if (v === undefined) {
      let n = 0;
      while (i + n + 1 < values.length && values[i + n + 1] === undefined) n++;
      // promtool: `_xN` is N missing samples (unlike `axN`, which is N+1 samples).
      out.push(n === 0 ? "_" : `_x${n + 1}`);
      i += n + 1;
      continue;
    }
    let n = 0;
    const next = values[i + 1];
    const d = next === undefined ? 0 : next - v;
    while (i + n + 1 < values.length && values[i + n + 1] !== undefined && Math.abs(values[i + n + 1]! - v - d * (n + 1)) < 1e-6) n++;
    out.push(n === 0 ? fmt(v) : `${fmt(v)}${d >= 0 ? "+" : "-"}${fmt(Math.abs(d))}x${n}`);
    i += n + 1;
  }
  return out.join(" ");
}

/** Counter samples at 0, step, …, duration: the integral of `rate(t)` over each interval, cumulated. */
export function counter(profile: readonly Segment[], step: number, duration: number, rate: (s: Segment) => number): number[] {
  const out = [0];
  let acc = 0;
  for (let t = step; t <= duration; t += step) {
    acc += rate(segmentAt(profile, t - step)) * step;
    out.push(acc);
  }
  return out;
}

export interface SeriesOptions {
  /** Scrape interval in seconds (the promtool test `interval`). */
  readonly step: number;
  readonly duration: number;
  /** Number of availability targets. @default 100 */
  readonly targets?: number;
  /**
   * Initial value of the availability accumulator. 0.5 rounds (down samples centred on the error they
   * stand for); 0 truncates (no window ever holds more than its share of down samples, e.g. for a burn
   * that must stay under a threshold from the very first sample). @default 0.5
   */
  readonly phase?: number;
}

/** The input series an SLI of `kind` reads, as the test factory's SLIs query them (`job="api"`). */
export function seriesFor(sli: Sli, profile: readonly Segment[], o: SeriesOptions): InputSeries[] {
  const { step, duration } = o;
  const everErrors = profile.some((s) => s.errorRatio > 0 && s.rps > 0);
  switch (sli.kind) {
    case "events":
    case "raw": {
      const out = [
        { series: 'http_requests_total{job="api",code="200"}', values: compress(counter(profile, step, duration, (s) => s.rps * (1 - s.errorRatio))) },
      ];
      // A service that never failed has no 5xx series at all, as in real life.
      if (everErrors) {
        out.push({ series: 'http_requests_total{job="api",code="500"}', values: compress(counter(profile, step, duration, (s) => s.rps * s.errorRatio)) });
      }
      return out;
    }
    case "latency": {
      const count = compress(counter(profile, step, duration, (s) => s.rps));
      const fast = compress(counter(profile, step, duration, (s) => s.rps * (1 - s.errorRatio)));
      return [
        { series: 'http_request_duration_seconds_count{job="api"}', values: count },
        { series: 'http_request_duration_seconds_bucket{job="api",le="+Inf"}', values: count },
        { series: 'http_request_duration_seconds_bucket{job="api",le="0.3"}', values: fast },
      ];
    }
    case "availability": {
      // Per scrape, the number of down targets carries the error ratio with an accumulator, so 0.09% of
      // 100 targets is one target down on about one scrape in eleven. No traffic = the targets are gone.
      const n = o.targets ?? 100;
      const values: Array<Array<number | undefined>> = Array.from({ length: n }, () => []);
      // Starting the accumulator at one half rounds instead of truncating: the down samples are centred on
      // the error they stand for, so they neither lead nor lag the profile by more than half a sample.
      let acc = o.phase ?? 0.5;
      for (let t = 0; t <= duration; t += step) {
        const s = segmentAt(profile, Math.max(0, t - step));
        acc += s.errorRatio * n;
        const down = Math.floor(acc + 1e-9);
        acc -= down;
        for (let i = 0; i < n; i++) values[i]!.push(s.rps > 0 ? (i < down ? 0 : 1) : undefined);
      }
      return values.map((v, i) => ({ series: `up{job="api",instance="i${i}"}`, values: compress(v) }));
    }
  }
}
