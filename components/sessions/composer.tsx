"use client";

import { useId, useRef, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { INPUT_CLASSES } from "@/components/ui/text-field";
import type { TFormState } from "@/components/forms/form-state";
import { sendsMessage } from "./composer-keys";

export type TSendMessageAction = (input: { text: string }) => Promise<TFormState<null>>;
export type TInterruptAction = () => Promise<TFormState<null>>;

/** A touch screen's keyboard has no Shift+Enter: there Enter breaks the line, and the button sends. */
const enterSends = () => !window.matchMedia?.("(hover: none) and (pointer: coarse)").matches;

/**
 * The message box, at the foot of the conversation. Sending is only blocked while a message is on
 * its way: while the agent works, a message waits in the log for its next step (said under the
 * box). Enter sends, Shift+Enter breaks the line, Ctrl+Enter (⌘+Enter) sends too (composer-keys.ts).
 * The box grows with its text, up to a few lines. Interrupt stops the running turn. Refusals are
 * shown under the box and the text is kept.
 */
export function Composer({
  id: textId,
  running,
  disabledReason,
  sendAction,
  interruptAction,
  onSent,
}: {
  /** The id of the message box, so that others can move focus to it. */
  id: string;
  running: boolean;
  /** Why nothing can be sent (a deleted or archived session); null when messages are accepted. */
  disabledReason: string | null;
  sendAction: TSendMessageAction;
  interruptAction: TInterruptAction;
  /** Called once a message was accepted. */
  onSent(): void;
}) {
  const id = useId();
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [sending, startSending] = useTransition();
  const [interrupting, startInterrupt] = useTransition();
  const textRef = useRef<HTMLTextAreaElement>(null);
  const disabled = disabledReason !== null;

  const send = () => {
    if (sending || disabled) return;
    if (text.trim() === "") {
      setError("Write a message first.");
      textRef.current?.focus();
      return;
    }
    startSending(async () => {
      setError(null);
      const outcome = await sendAction({ text });
      if (outcome.status === "error") {
        setError(outcome.message ?? "The message was not sent.");
        textRef.current?.focus();
      } else {
        setText("");
        onSent();
      }
    });
  };

  const interrupt = () =>
    startInterrupt(async () => {
      const outcome = await interruptAction();
      setError(outcome.status === "error" ? (outcome.message ?? "The interrupt was not sent.") : null);
    });

  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <form
      aria-label="Message the agent"
      className="flex shrink-0 flex-col gap-1.5 rounded-xl border border-zinc-200 bg-white p-2 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <label htmlFor={textId} className="sr-only">
        Message
      </label>
      <div className="flex items-end gap-2">
        <textarea
          ref={textRef}
          id={textId}
          name="text"
          rows={1}
          value={text}
          disabled={disabled}
          placeholder={disabled ? disabledReason : running ? "Add to the running turn…" : "Message the agent…"}
          onChange={(event) => {
            setText(event.target.value);
            if (error) setError(null);
          }}
          onKeyDown={(event) => {
            const { key, shiftKey, ctrlKey, metaKey, altKey } = event;
            const isComposing = event.nativeEvent.isComposing || event.keyCode === 229;
            if (sendsMessage({ key, shiftKey, ctrlKey, metaKey, altKey, isComposing }, { enterSends: enterSends() })) {
              event.preventDefault();
              send();
            }
          }}
          aria-invalid={error ? true : undefined}
          aria-describedby={[error ? errorId : null, hintId].filter(Boolean).join(" ")}
          className={`${INPUT_CLASSES} max-h-48 min-h-10 flex-1 resize-none [field-sizing:content]`}
        />
        <div className="flex shrink-0 gap-2">
          {running && !disabled ? (
            <Button variant="secondary" pending={interrupting} pendingLabel="Interrupting…" onClick={interrupt}>
              Interrupt
            </Button>
          ) : null}
          <Button type="submit" pending={sending} pendingLabel="Sending…" disabled={disabled}>
            Send
          </Button>
        </div>
      </div>
      {error ? (
        <p id={errorId} role="alert" className="flex items-start gap-1.5 text-sm text-red-700 dark:text-red-400">
          <span aria-hidden="true">⚠</span>
          <span>{error}</span>
        </p>
      ) : null}
      <p id={hintId} className="px-1 text-xs text-zinc-500 dark:text-zinc-400">
        {disabled
          ? disabledReason
          : running
            ? "The agent is working: your message is queued and read at its next step. Enter to send, Shift+Enter for a new line."
            : "Enter to send, Shift+Enter for a new line."}
      </p>
    </form>
  );
}
