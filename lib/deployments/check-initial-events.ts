import "server-only";
import { AppError } from "@/lib/errors";
import { validateClientEvents } from "@/lib/sessions/validate-client-events";

/**
 * A deployment's initial events, checked as a session's are (the event vocabulary), once, when the
 * deployment is written, so a run never fails on them. Errors name `initial_events[i]…`.
 */
export function checkInitialEvents(events: readonly Record<string, unknown>[]): void {
  try {
    validateClientEvents(events);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const message = error.message.replace(/^events\[/, "initial_events[");
    throw new AppError(error.code, message, { ...error.details, path: message.split(":")[0] });
  }
}
