"use client";

import { useId, useRef, useState, useTransition } from "react";
import type { TToolCallItem } from "@/lib/timeline/fold-timeline";
import { Button } from "@/components/ui/button";
import { INPUT_CLASSES } from "@/components/ui/text-field";
import type { TDrafts } from "./use-drafts";
import type { TFormState } from "@/components/forms/form-state";

export type TConfirmToolAction = (input: { toolUseId: string; result: "allow" | "deny"; denyMessage?: string }) => Promise<TFormState<null>>;
export type TCustomToolResultAction = (input: { toolUseId: string; text: string; isError: boolean }) => Promise<TFormState<null>>;

function ErrorText({ id, message }: { id: string; message: string | null }) {
  return message ? (
    <p id={id} role="alert" className="text-sm text-red-700 dark:text-red-400">
      {message}
    </p>
  ) : null;
}

/** Approve or deny a call that asks first; denying may say why (the model reads it). */
export function ConfirmToolCall({ call, action, drafts, onAnswered }: { call: TToolCallItem; action: TConfirmToolAction; drafts: TDrafts; onAnswered(): void }) {
  const [pending, startTransition] = useTransition();
  const [denying, setDenying] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const errorId = useId();
  const reasonId = useId();

  const answer = (result: "allow" | "deny") =>
    startTransition(async () => {
      setError(null);
      const denyMessage = result === "deny" ? reasonRef.current?.value.trim() || undefined : undefined;
      const outcome = await action({ toolUseId: call.key, result, denyMessage });
      if (outcome.status === "error") setError(outcome.message ?? "This answer was not accepted.");
      else onAnswered();
    });

  return (
    <div role="group" aria-label={`Approve or deny ${call.name}`} className="mt-2 flex flex-col gap-3 rounded-xl border border-amber-300 bg-amber-50 px-4 py-3 dark:border-amber-800 dark:bg-amber-950/40">
      <p className="text-sm text-amber-900 dark:text-amber-100">
        The agent asks to run <code className="font-mono font-semibold">{call.name}</code>. Look at its input above, then approve or deny it.
      </p>
      {denying ? (
        <div className="flex flex-col gap-2">
          <label htmlFor={reasonId} className="text-sm font-medium">
            Why not? <span className="font-normal text-zinc-600 dark:text-zinc-400">(optional; the agent reads it)</span>
          </label>
          <textarea
            ref={reasonRef}
            id={reasonId}
            rows={2}
            maxLength={10_000}
            autoFocus
            defaultValue={drafts.get(`${call.key}:deny`)}
            onChange={(event) => drafts.set(`${call.key}:deny`, event.target.value)}
            className={INPUT_CLASSES}
          />
        </div>
      ) : null}
      <div className="flex flex-wrap gap-2">
        {denying ? (
          <>
            <Button variant="danger" pending={pending} pendingLabel="Denying…" onClick={() => answer("deny")} aria-describedby={error ? errorId : undefined}>
              Deny
            </Button>
            <Button variant="secondary" disabled={pending} onClick={() => setDenying(false)}>
              Cancel
            </Button>
          </>
        ) : (
          <>
            <Button pending={pending} pendingLabel="Approving…" onClick={() => answer("allow")} aria-describedby={error ? errorId : undefined}>
              Approve
            </Button>
            <Button variant="secondary" disabled={pending} onClick={() => setDenying(true)}>
              Deny…
            </Button>
          </>
        )}
      </div>
      <ErrorText id={errorId} message={error} />
    </div>
  );
}

/** The result of a custom tool, given by the person watching (the client runs custom tools). */
export function CustomToolResultForm({ call, action, drafts, onAnswered }: { call: TToolCallItem; action: TCustomToolResultAction; drafts: TDrafts; onAnswered(): void }) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [text, setText] = useState(() => drafts.get(call.key));
  const [isError, setIsError] = useState(false);
  const id = useId();

  return (
    <form
      aria-label={`Result of ${call.name}`}
      className="mt-2 flex flex-col gap-3 rounded-xl border border-amber-300 bg-amber-50 px-4 py-3 dark:border-amber-800 dark:bg-amber-950/40"
      onSubmit={(event) => {
        event.preventDefault();
        startTransition(async () => {
          setError(null);
          const outcome = await action({ toolUseId: call.key, text, isError });
          if (outcome.status === "error") setError(outcome.message ?? "This result was not accepted.");
          else onAnswered();
        });
      }}
    >
      <p className="text-sm text-amber-900 dark:text-amber-100">
        <code className="font-mono font-semibold">{call.name}</code> is a custom tool: the agent waits for its result from you.
      </p>
      <div className="flex flex-col gap-1.5">
        <label htmlFor={`${id}-text`} className="text-sm font-medium">
          Result
        </label>
        <textarea
          id={`${id}-text`}
          rows={3}
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            drafts.set(call.key, event.target.value);
          }}
          maxLength={100_000}
          aria-describedby={error ? `${id}-error` : undefined}
          className={`${INPUT_CLASSES} font-mono`}
        />
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={isError} onChange={(event) => setIsError(event.target.checked)} className="size-4 accent-brand-600" />
        The tool failed (send the result as an error)
      </label>
      <div>
        <Button type="submit" pending={pending} pendingLabel="Sending…">
          Send result
        </Button>
      </div>
      <ErrorText id={`${id}-error`} message={error} />
    </form>
  );
}
