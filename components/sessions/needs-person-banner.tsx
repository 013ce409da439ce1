"use client";

import { useId, useState, useTransition } from "react";
import type { TPendingAction } from "@/lib/sessions/ui/pending-actions";
import { summarizeInput } from "@/lib/sessions/ui/needs-person";
import { Button } from "@/components/ui/button";
import { INPUT_CLASSES } from "@/components/ui/text-field";
import type { TConfirmToolAction, TCustomToolResultAction } from "./tool-actions";
import type { TAttentionNotification } from "./use-attention-notification";

type TProps = {
  /** What waits for a person, oldest first; the banner is gone when it is empty. */
  pending: readonly TPendingAction[];
  confirmAction: TConfirmToolAction;
  customResultAction: TCustomToolResultAction;
  onAnswered(): void;
  /** Brings the conversation to its newest events, where the waiting calls are with their forms. */
  onShow(): void;
};

/**
 * The bar above the conversation while the session waits for a person: what waits (the tool, a
 * line of its input) and the same answers as under the call in the timeline (approve, deny with a
 * reason, or a custom tool's result). It follows the log: answered by anyone, it goes for everyone.
 */
export function NeedsPersonBanner({ pending, confirmAction, customResultAction, onAnswered, onShow }: TProps) {
  const first = pending[0];
  if (!first) return null;
  const more = pending.length - 1;
  return (
    <section
      aria-label="Needs you"
      data-testid="needs-person-banner"
      className="sticky top-0 z-20 flex shrink-0 flex-col gap-2 rounded-xl border border-amber-300 bg-amber-50 px-4 py-3 shadow-sm dark:border-amber-800 dark:bg-amber-950"
    >
      {/* keyed by the call: a form's half-typed answer never carries over to the next call */}
      {first.kind === "confirm" ? (
        <ConfirmRow key={first.call.key} action={first} confirmAction={confirmAction} onAnswered={onAnswered} />
      ) : (
        <CustomResultRow key={first.call.key} action={first} customResultAction={customResultAction} onAnswered={onAnswered} />
      )}
      <div className="flex flex-wrap items-center gap-x-3 text-xs text-amber-900 dark:text-amber-200">
        {more > 0 ? <span data-testid="needs-person-more">{more === 1 ? "1 more call waits after this one." : `${more} more calls wait after this one.`}</span> : null}
        <button type="button" onClick={onShow} className="font-medium underline-offset-4 hover:underline">
          Show in the conversation ↓
        </button>
      </div>
    </section>
  );
}

function What({ verb, action }: { verb: string; action: TPendingAction }) {
  const summary = summarizeInput(action.call);
  return (
    <div className="flex min-w-0 flex-1 flex-col">
      <p className="text-sm font-semibold text-amber-950 dark:text-amber-50">
        <span aria-hidden="true" className="mr-1.5 inline-block size-2 animate-pulse rounded-full bg-amber-500 align-middle" />
        Needs you: {verb} <code className="font-mono">{action.call.name}</code>
        {action.call.mcpServer ? <span className="font-normal"> ({action.call.mcpServer})</span> : null}
      </p>
      {summary ? (
        <p className="truncate font-mono text-xs text-amber-900 dark:text-amber-200" title={summary} data-testid="needs-person-input">
          {summary}
        </p>
      ) : null}
    </div>
  );
}

function ErrorText({ message }: { message: string | null }) {
  return message ? (
    <p role="alert" className="text-sm text-red-700 dark:text-red-400">
      {message}
    </p>
  ) : null;
}

function ConfirmRow({ action, confirmAction, onAnswered }: { action: TPendingAction; confirmAction: TConfirmToolAction; onAnswered(): void }) {
  const [pending, startTransition] = useTransition();
  const [denying, setDenying] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const reasonId = useId();
  const answer = (result: "allow" | "deny") =>
    startTransition(async () => {
      setError(null);
      const outcome = await confirmAction({ toolUseId: action.call.key, result, denyMessage: result === "deny" ? reason.trim() || undefined : undefined });
      if (outcome.status === "error") setError(outcome.message ?? "This answer was not accepted.");
      else onAnswered();
    });

  return (
    <>
      <div className="flex flex-wrap items-center gap-3">
        <What verb="the agent asks to run" action={action} />
        {denying ? null : (
          <div className="flex shrink-0 gap-2">
            <Button pending={pending} pendingLabel="Approving…" onClick={() => answer("allow")}>
              Approve
            </Button>
            <Button variant="secondary" disabled={pending} onClick={() => setDenying(true)}>
              Deny…
            </Button>
          </div>
        )}
      </div>
      {denying ? (
        <div className="flex flex-wrap items-end gap-2">
          <div className="flex min-w-48 flex-1 flex-col gap-1">
            <label htmlFor={reasonId} className="text-sm font-medium">
              Why not? <span className="font-normal text-zinc-600 dark:text-zinc-400">(optional; the agent reads it)</span>
            </label>
            <input id={reasonId} autoFocus maxLength={10_000} value={reason} onChange={(event) => setReason(event.target.value)} className={INPUT_CLASSES} />
          </div>
          <Button variant="danger" pending={pending} pendingLabel="Denying…" onClick={() => answer("deny")}>
            Deny
          </Button>
          <Button variant="secondary" disabled={pending} onClick={() => setDenying(false)}>
            Cancel
          </Button>
        </div>
      ) : null}
      <ErrorText message={error} />
    </>
  );
}

function CustomResultRow({ action, customResultAction, onAnswered }: { action: TPendingAction; customResultAction: TCustomToolResultAction; onAnswered(): void }) {
  const [pending, startTransition] = useTransition();
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  return (
    <form
      aria-label={`Answer ${action.call.name}`}
      className="flex flex-col gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        startTransition(async () => {
          setError(null);
          const outcome = await customResultAction({ toolUseId: action.call.key, text, isError: false });
          if (outcome.status === "error") setError(outcome.message ?? "This result was not accepted.");
          else onAnswered();
        });
      }}
    >
      <What verb="the agent waits for the result of" action={action} />
      <div className="flex flex-wrap items-end gap-2">
        <div className="flex min-w-48 flex-1 flex-col gap-1">
          <label htmlFor={id} className="text-sm font-medium">
            Result
          </label>
          <input id={id} value={text} maxLength={100_000} onChange={(event) => setText(event.target.value)} className={`${INPUT_CLASSES} font-mono`} />
        </div>
        <Button type="submit" pending={pending} pendingLabel="Sending…">
          Send result
        </Button>
      </div>
      <ErrorText message={error} />
    </form>
  );
}

/**
 * "Notify me": a switch, remembered in this browser, for a notification when the session starts
 * waiting for a person while its tab is hidden. Absent where the browser has no notifications.
 */
export function NotifyToggle({ notification }: { notification: TAttentionNotification }) {
  const { supported, enabled, permission, toggle } = notification;
  if (!supported) return null;
  const blocked = permission === "denied";
  return (
    <button
      type="button"
      role="switch"
      aria-checked={enabled && !blocked}
      disabled={blocked}
      title={blocked ? "Notifications are blocked for this site in the browser's settings" : "A notification when this session needs you while its tab is hidden"}
      onClick={toggle}
      data-testid="notify-toggle"
      className="inline-flex items-center gap-1.5 rounded-lg px-2 py-1.5 text-sm font-medium text-zinc-700 hover:bg-zinc-100 disabled:cursor-not-allowed disabled:opacity-60 dark:text-zinc-300 dark:hover:bg-zinc-800"
    >
      <span aria-hidden="true" className={`relative inline-block h-4 w-7 rounded-full transition-colors ${enabled && !blocked ? "bg-brand-600" : "bg-zinc-300 dark:bg-zinc-700"}`}>
        <span className={`absolute top-0.5 size-3 rounded-full bg-white transition-all ${enabled && !blocked ? "left-3.5" : "left-0.5"}`} />
      </span>
      Notify me
    </button>
  );
}
