import "server-only";
import type { TEventBody } from "@/lib/event-log/events";
import type { TSandboxLease, TSandboxObserver } from "./sandbox-pool";
import type { TWakeContext } from "./wake-context";

/**
 * The sandbox's life as seen in a session's log: internal `span.sandbox_status` events (hidden
 * from the API, shown in the web timeline). `provisioning` when a tool call needs a sandbox and none
 * is alive, `ready` with its id and how long it took, `failed` with the reason (secrets redacted),
 * `replaced` when a dead or hung sandbox is discarded. The planner ignores them: they record, they
 * do not decide.
 */

const MAX_REASON = 2000;

type TStatus = Extract<TEventBody, { type: "span.sandbox_status" }>;

function status(fields: Pick<TStatus, "status" | "provider"> & Partial<Pick<TStatus, "sandbox_id" | "reason" | "duration_ms" | "environment_id">>): TStatus {
  return {
    ...(fields.environment_id ? { environment_id: fields.environment_id } : {}),
    type: "span.sandbox_status",
    status: fields.status,
    provider: fields.provider,
    sandbox_id: fields.sandbox_id ?? null,
    reason: fields.reason === undefined || fields.reason === null ? null : fields.reason.slice(0, MAX_REASON),
    duration_ms: fields.duration_ms ?? null,
  };
}

/**
 * An observer for SandboxPool.acquire that appends each step to the session's log. `environment_id`:
 * the sandbox of one of the session's additional environments (absent for the primary's).
 */
export function sandboxStatusRecorder(ctx: TWakeContext, environment_id?: string): TSandboxObserver {
  return {
    provisioning: ({ provider }) => ctx.append([status({ status: "provisioning", provider, environment_id })]),
    ready: ({ provider, sandboxId, durationMs }) => ctx.append([status({ status: "ready", provider, sandbox_id: sandboxId, duration_ms: Math.round(durationMs), environment_id })]),
    failed: ({ provider, reason }) => ctx.append([status({ status: "failed", provider, reason, environment_id })]),
    replaced: ({ provider, sandboxId, reason }) => ctx.append([status({ status: "replaced", provider, sandbox_id: sandboxId, reason, environment_id })]),
  };
}

/** Records that the harness discarded a sandbox that died or hung (`reason` must be redacted already). */
export async function recordReplaced(ctx: TWakeContext, lease: TSandboxLease, reason: string, environment_id?: string): Promise<void> {
  await ctx.append([status({ status: "replaced", provider: lease.provider, sandbox_id: lease.sandbox.id, reason, environment_id })]);
}

/**
 * Closes a `provisioning` left open by a harness that stopped before recording how it ended (its
 * sandbox, if any, died with it or is discarded when its fenced `ready` append fails), so the
 * timeline does not show a sandbox starting forever. Appends nothing when there is none.
 */
export async function closeAbandonedProvisioning(ctx: TWakeContext): Promise<void> {
  let open: Extract<TEventBody, { type: "span.sandbox_status" }> | null = null;
  for (const event of ctx.events) {
    if (event.body.type === "span.sandbox_status") open = event.body.status === "provisioning" ? event.body : null;
  }
  if (!open) return;
  await ctx.append([status({ status: "failed", provider: open.provider, reason: "the worker provisioning this sandbox stopped before it was ready", environment_id: open.environment_id })]);
}
