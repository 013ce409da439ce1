import { CronExpressionParser } from "cron-parser";

/**
 * A deployment's cron schedule: a 5-field POSIX expression (minute hour day-of-month month
 * day-of-week) matched against the wall clock of an IANA time zone. Parsing and the next/previous
 * occurrence are `cron-parser`'s (time zones and DST through luxon); this module only narrows the
 * syntax to what the API accepts (SDK 1.17 `BetaManagedAgentsCronScheduleParams`): no seconds or
 * year field, none of `L W # ?`, no `@daily`-style shortcuts.
 *
 * DST, as cron-parser does it and the unit tests pin: a wall-clock time skipped by a spring-forward
 * fires once, at the same minute of the hour after (02:30 → 03:30); a wall-clock time that occurs
 * twice in a fall-back fires once, at its first occurrence.
 */
export type TCronSchedule = { expression: string; timezone: string };

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const FIELD_NAMES = ["minute", "hour", "day of month", "month", "day of week"];

/** Why `expression` is not an accepted cron expression, or null when it is one. */
export function cronExpressionProblem(expression: string): string | null {
  const trimmed = expression.trim();
  if (trimmed.startsWith("@")) return "shortcuts such as @daily are not supported: use 5 fields (minute hour day-of-month month day-of-week)";
  const fields = trimmed.split(/\s+/);
  if (fields.length !== 5 || trimmed === "") return `must have 5 fields (minute hour day-of-month month day-of-week), got ${trimmed === "" ? 0 : fields.length}`;
  for (const [i, field] of fields.entries()) {
    if (/[?#]/.test(field)) return `${FIELD_NAMES[i]} field: the characters ? and # are not supported`;
    const words = field.toLowerCase().match(/[a-z]+/g) ?? [];
    const names = i === 3 ? MONTHS : i === 4 ? DAYS : [];
    const unknown = words.find((word) => !names.includes(word));
    if (unknown) return `${FIELD_NAMES[i]} field: ${JSON.stringify(unknown.slice(0, 16))} is not supported${names.length ? ` (names are ${names.slice(0, 3).join(", ")}, …)` : ""}`;
  }
  try {
    CronExpressionParser.parse(trimmed, { tz: "UTC", strict: false });
  } catch (error) {
    return (error instanceof Error ? error.message : String(error)).slice(0, 200);
  }
  return null;
}

/** Why `timezone` is not an IANA time zone name, or null when it is one ("UTC", "Europe/Paris"). */
export function timezoneProblem(timezone: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(timezone) || timezone.length > 64) return "must be an IANA time zone name such as UTC or America/Los_Angeles";
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: timezone });
  } catch {
    return `${JSON.stringify(timezone)} is not a time zone of the IANA database`;
  }
  return null;
}

function iterator(schedule: TCronSchedule, from: Date) {
  return CronExpressionParser.parse(schedule.expression.trim(), { currentDate: from, tz: schedule.timezone, strict: false });
}

/** The latest occurrence at or before `at`. */
export function latestTickAtOrBefore(schedule: TCronSchedule, at: Date): Date {
  return iterator(schedule, new Date(at.getTime() + 1)).prev().toDate();
}

/** The next `count` occurrences strictly after `after`. */
export function upcomingTicks(schedule: TCronSchedule, after: Date, count: number): Date[] {
  const it = iterator(schedule, after);
  return Array.from({ length: count }, () => it.next().toDate());
}

/**
 * The tick to run now, or null: the latest occurrence in (`cursor`, `now`]. Catch-up policy: after
 * downtime (or any gap longer than one period) only the most recent missed tick runs; older ones
 * are skipped, never run in a burst.
 */
export function dueTick(schedule: TCronSchedule, cursor: Date, now: Date): Date | null {
  if (now.getTime() <= cursor.getTime()) return null;
  const latest = latestTickAtOrBefore(schedule, now);
  return latest.getTime() > cursor.getTime() ? latest : null;
}
