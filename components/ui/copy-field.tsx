"use client";

import { useId, useRef, useState } from "react";
import { Button } from "./button";
import { INPUT_CLASSES } from "./text-field";

/** A read-only value (a new key, an invitation link) with a copy button; the result is announced. */
export function CopyField({ label, value }: { label: string; value: string }) {
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState("");

  async function copy() {
    inputRef.current?.select();
    try {
      await navigator.clipboard.writeText(value);
      setStatus("Copied to the clipboard.");
    } catch {
      setStatus("Select the text and copy it with Ctrl+C (⌘C on a Mac).");
    }
  }

  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <div className="flex flex-col gap-2 sm:flex-row">
        <input ref={inputRef} id={id} readOnly value={value} onFocus={(event) => event.currentTarget.select()} className={`${INPUT_CLASSES} font-mono`} />
        <Button variant="secondary" onClick={copy} className="shrink-0">
          Copy
        </Button>
      </div>
      <p aria-live="polite" className="min-h-5 text-sm text-zinc-600 dark:text-zinc-400">
        {status}
      </p>
    </div>
  );
}
