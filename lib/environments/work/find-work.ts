import type { Environment, EnvironmentWork, PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { isId } from "@/lib/ids";
import { configFromJson } from "../environment-config";

/** Default lease of a work item, in seconds (the SDK's worker assumes 300 until a heartbeat says otherwise). */
export const DEFAULT_WORK_TTL_SECONDS = 300;
export const MIN_WORK_TTL_SECONDS = 5;
export const MAX_WORK_TTL_SECONDS = 3600;

/** States in which an item is the session's live one: a worker holds it or will. */
export const LIVE_WORK_STATES = ["queued", "starting", "active"] as const;

/**
 * The team's self-hosted environment, or 404 `environment_not_found` for an unknown id, a malformed
 * one and another team's alike (ids are opaque); a cloud environment has no work queue (400).
 */
export async function findHostedEnvironment(prisma: Pick<PrismaClient, "environment">, teamId: string, environmentId: string): Promise<Environment> {
  const env = isId("environment", environmentId) ? await prisma.environment.findFirst({ where: { id: environmentId, teamId } }) : null;
  if (!env) throw new AppError("not_found", `environment ${environmentId.slice(0, 128)} not found`, { errorCode: "environment_not_found" });
  if (configFromJson(env.config).type !== "self_hosted") {
    throw new AppError("invalid_request", `environment ${env.id} is not self_hosted: its tools run in the platform's sandboxes and it has no work queue`);
  }
  return env;
}

/** The environment's work item, or 404 (an item of another environment answers the same). */
export async function findWork(prisma: Pick<PrismaClient, "environmentWork">, environmentId: string, workId: string): Promise<EnvironmentWork> {
  const row = isId("work", workId) ? await prisma.environmentWork.findFirst({ where: { id: workId, environmentId } }) : null;
  if (!row) throw new AppError("not_found", `work ${workId.slice(0, 128)} not found`);
  return row;
}

/** Who is calling a work endpoint: the team (API key, maybe naming its worker) or one item's token. */
export type TWorkCaller = { teamId: string; workerId?: string | null; work?: { workId: string } };

/**
 * Refuses a caller that does not own the item: an `Anthropic-Worker-ID` other than the worker the
 * item was handed to (403), or a token of another item (the route's scope check already refuses it).
 */
export function assertOwner(row: EnvironmentWork, caller: TWorkCaller): void {
  if (caller.work && caller.work.workId !== row.id) throw new AppError("forbidden", `this token is scoped to another work item, not ${row.id}`);
  if (caller.workerId && row.workerId && caller.workerId !== row.workerId) {
    throw new AppError("forbidden", `work ${row.id} is held by another worker, not ${caller.workerId.slice(0, 128)}`, { errorCode: "work_not_owned" });
  }
}

/** `Anthropic-Worker-ID`, when sent: 1–256 printable characters. */
export function workerIdFrom(headers: Headers): string | null {
  const raw = headers.get("anthropic-worker-id");
  if (raw === null) return null;
  const value = raw.trim();
  if (!value || value.length > 256 || !/^[\x21-\x7e]+$/.test(value)) {
    throw new AppError("invalid_request", "Anthropic-Worker-ID: must be 1–256 printable ASCII characters without spaces");
  }
  return value;
}
