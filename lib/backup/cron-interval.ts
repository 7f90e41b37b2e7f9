/**
 * The longest gap between two runs of a backup schedule, exactly, so an RPO can be checked against it. Schedules are
 * five-field cron expressions (minute hour day-of-month month day-of-week, UTC) whose day of month and month are `*`:
 * such a schedule repeats every week, so its runs over one week, wrapped around, give every gap there is. A day of
 * month or a month other than `*` (monthly and yearly schedules) has gaps that change with the calendar and is refused,
 * as are the macros, so one form is parsed one way. No cron library is a dependency of the project; this parser takes
 * only what it can measure exactly.
 */

/** What a backup schedule must be, for error messages. */
export const BACKUP_CRON_RULE =
  "a five-field cron schedule in UTC with day-of-month and month '*' (minute hour * * day-of-week; numbers, lists, ranges, */steps, SUN-SAT), e.g. \"0 */6 * * *\" or \"30 2 * * *\"";

const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const MINUTES_PER_WEEK = 7 * 24 * 60;

interface Field {
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}
const MINUTE: Field = { min: 0, max: 59 };
const HOUR: Field = { min: 0, max: 23 };
const WEEKDAY: Field = { min: 0, max: 7, names: DAYS };

function value(text: string, f: Field): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n >= f.min && n <= f.max ? n : undefined;
  }
  const i = f.names?.indexOf(text.toUpperCase()) ?? -1;
  return i >= 0 ? i : undefined;
}

/** The values a field matches, or undefined when it is not a valid field. */
function expand(field: string, f: Field): Set<number> | undefined {
  const out = new Set<number>();
  for (const part of field.split(",")) {
    const [range, stepText, ...rest] = part.split("/");
    if (rest.length > 0 || range === undefined || range === "") return undefined;
    const step = stepText === undefined ? 1 : /^\d+$/.test(stepText) && Number(stepText) >= 1 ? Number(stepText) : undefined;
    if (step === undefined) return undefined;
    let from: number | undefined;
    let to: number | undefined;
    if (range === "*") {
      from = f.min;
      to = f.max;
    } else {
      const [a, b, ...more] = range.split("-");
      if (more.length > 0) return undefined;
      from = value(a ?? "", f);
      to = b === undefined ? (stepText === undefined ? from : f.max) : value(b, f);
    }
    if (from === undefined || to === undefined || from > to) return undefined;
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

/** A parsed backup schedule: the minutes of the week it runs at (0 = Sunday 00:00 UTC). */
export interface BackupSchedule {
  readonly minute: string;
  readonly hour: string;
  readonly weekday: string;
  /** Minutes of the week with a run, ascending. */
  readonly runs: readonly number[];
}

/** The schedule, or undefined when it is not one {@link BACKUP_CRON_RULE} allows. */
export function parseBackupCron(schedule: string): BackupSchedule | undefined {
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5) return undefined;
  const [minute, hour, dom, month, weekday] = fields as [string, string, string, string, string];
  if (dom !== "*" || month !== "*") return undefined;
  const minutes = expand(minute, MINUTE);
  const hours = expand(hour, HOUR);
  const days = expand(weekday, WEEKDAY);
  if (!minutes || !hours || !days) return undefined;
  // 7 is Sunday too.
  if (days.has(7)) days.add(0);
  const runs: number[] = [];
  for (let d = 0; d < 7; d++) {
    if (!days.has(d)) continue;
    for (const h of [...hours].sort((a, b) => a - b)) for (const m of [...minutes].sort((a, b) => a - b)) runs.push(d * 1440 + h * 60 + m);
  }
  return { minute, hour, weekday, runs };
}

/** The longest time between two consecutive runs, in minutes (a week wraps around to the next). */
export function longestGapMinutes(schedule: BackupSchedule): number {
  const runs = schedule.runs;
  if (runs.length === 1) return MINUTES_PER_WEEK;
  let longest = runs[0]! + MINUTES_PER_WEEK - runs[runs.length - 1]!;
  for (let i = 1; i < runs.length; i++) longest = Math.max(longest, runs[i]! - runs[i - 1]!);
  return longest;
}

/** The longest gap of a schedule string in hours, or undefined when it is not one {@link BACKUP_CRON_RULE} allows. */
export function backupIntervalHours(schedule: string): number | undefined {
  const parsed = parseBackupCron(schedule);
  return parsed ? longestGapMinutes(parsed) / 60 : undefined;
}

/**
 * The same schedule as an AWS Backup (EventBridge) expression, `cron(minute hour day-of-month month day-of-week year)`:
 * `*` steps start at the field's first value, weekdays are names (EventBridge numbers them 1–7 from Sunday), and
 * exactly one of day-of-month and day-of-week is `?`.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
 */
export function awsCronExpression(schedule: string): string | undefined {
  const parsed = parseBackupCron(schedule);
  // Steps over weekday names have no EventBridge spelling that reads the same: refused, so nothing is guessed.
  if (!parsed || parsed.weekday.includes("/")) return undefined;
  const steps = (field: string) => field.replace(/^\*\//, "0/").replace(/,\*\//g, ",0/");
  const weekday = parsed.weekday === "*" ? "*" : parsed.weekday.replace(/\d+/g, (d) => DAYS[Number(d) % 7]!).toUpperCase();
  const [dom, dow] = weekday === "*" ? ["*", "?"] : ["?", weekday];
  return `cron(${steps(parsed.minute)} ${steps(parsed.hour)} ${dom} * ${dow} *)`;
}
