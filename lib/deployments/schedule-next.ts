import "server-only";
import type { Deployment } from "@/lib/generated/prisma/client";
import { upcomingTicks, type TCronSchedule } from "./cron-schedule";

/** The deployment's schedule, or null for a manual-only deployment. */
export function scheduleOf(deployment: Pick<Deployment, "scheduleExpression" | "scheduleTimezone">): TCronSchedule | null {
  return deployment.scheduleExpression && deployment.scheduleTimezone ? { expression: deployment.scheduleExpression, timezone: deployment.scheduleTimezone } : null;
}

/** The first tick strictly after `after` (where a schedule starts from, when set, changed or unpaused: `after` is now). */
export function nextTickAfter(schedule: TCronSchedule | null, after: Date): Date | null {
  return schedule ? upcomingTicks(schedule, after, 1)[0]! : null;
}
