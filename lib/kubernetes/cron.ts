/**
 * Kubernetes CronJob schedules: five fields (minute, hour, day of month, month, day of week) with `*`, lists, ranges
 * and steps, month and weekday names, or one of the macros. What the CronJob controller's parser (robfig/cron's
 * standard parser) accepts, minus time zones in the schedule (`CRON_TZ=`), which Kubernetes refuses in
 * `spec.schedule` (it has `spec.timeZone`).
 */

/** What a schedule must be, for error messages. */
export const CRON_SCHEDULE_RULE =
  "a five-field cron schedule (minute hour day-of-month month day-of-week; *, lists, ranges and /steps; JAN-DEC, SUN-SAT) or @hourly, @daily, @weekly, @monthly, @yearly";

const MACROS = new Set(["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]);
const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface Field {
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** The value the first name stands for. */
  readonly nameBase?: number;
}
const FIELDS: readonly Field[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS, nameBase: 1 },
  { min: 0, max: 7, names: DAYS, nameBase: 0 },
];

function value(text: string, f: Field): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n >= f.min && n <= f.max ? n : undefined;
  }
  const i = f.names?.indexOf(text.toUpperCase()) ?? -1;
  return i >= 0 ? i + (f.nameBase ?? 0) : undefined;
}

function validPart(part: string, f: Field): boolean {
  const [range, step, ...rest] = part.split("/");
  if (rest.length > 0 || range === undefined || range === "") return false;
  if (step !== undefined && !(/^\d+$/.test(step) && Number(step) >= 1 && Number(step) <= f.max)) return false;
  if (range === "*" || range === "?") return true;
  const [from, to, ...more] = range.split("-");
  if (more.length > 0) return false;
  const a = value(from ?? "", f);
  if (a === undefined) return false;
  if (to === undefined) return true;
  const b = value(to, f);
  return b !== undefined && a <= b;
}

/** Whether `schedule` is a CronJob schedule Kubernetes accepts. */
export function isCronSchedule(schedule: string): boolean {
  const s = schedule.trim();
  if (MACROS.has(s)) return true;
  const fields = s.split(/\s+/);
  return fields.length === 5 && fields.every((field, i) => field.split(",").every((p) => validPart(p, FIELDS[i]!)));
}
