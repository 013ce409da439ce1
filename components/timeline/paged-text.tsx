"use client";

import { useState } from "react";
import { MessageText } from "./message-text";

/** Lines of a tool's output shown at first, and added by each "show more". */
export const OUTPUT_PAGE_LINES = 40;
/** Characters of a message shown at first, and added by each "show more". */
export const MESSAGE_PAGE_CHARS = 6_000;
/** A single line longer than this is cut too, so one huge line cannot defeat paging. */
const MAX_PAGE_CHARS = 20_000;

const moreButton =
  "self-start rounded-md px-2 py-1 text-sm font-medium text-brand-700 hover:bg-brand-50 dark:text-brand-300 dark:hover:bg-zinc-800";

/** Tool output: the first lines, and more on demand (large outputs are never rendered at once). */
export function PagedOutput({ text, label, tone = "normal" }: { text: string; label: string; tone?: "normal" | "error" }) {
  const [pages, setPages] = useState(1);
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const shownLines = lines.slice(0, pages * OUTPUT_PAGE_LINES);
  let shown = shownLines.join("\n");
  const cut = shown.length > pages * MAX_PAGE_CHARS;
  if (cut) shown = shown.slice(0, pages * MAX_PAGE_CHARS);
  const hiddenLines = lines.length - shownLines.length;
  const more = hiddenLines > 0 || cut;
  return (
    <div className="flex flex-col gap-1">
      <pre
        aria-label={label}
        className={`max-h-[32rem] overflow-auto rounded-lg px-3 py-2 font-mono text-xs leading-relaxed whitespace-pre-wrap break-words ${
          tone === "error" ? "bg-red-50 text-red-900 dark:bg-red-950/40 dark:text-red-200" : "bg-zinc-100 text-zinc-800 dark:bg-zinc-950 dark:text-zinc-200"
        }`}
      >
        {shown.length > 0 ? shown : <span className="italic text-zinc-500">(no output)</span>}
      </pre>
      {more ? (
        <span className="flex flex-wrap items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400">
          <button type="button" className={moreButton} onClick={() => setPages((p) => p + 1)}>
            Show more
          </button>
          <span>{hiddenLines > 0 ? `${hiddenLines.toLocaleString("en-US")} more lines` : "line cut"}</span>
          {hiddenLines > OUTPUT_PAGE_LINES ? (
            <button type="button" className={moreButton} onClick={() => setPages(Math.ceil(Math.max(lines.length / OUTPUT_PAGE_LINES, text.length / MAX_PAGE_CHARS)))}>
              Show all
            </button>
          ) : null}
        </span>
      ) : null}
    </div>
  );
}

/** What a person typed: as written, line breaks kept (Markdown is for the agent's text). */
function PlainText({ text }: { text: string }) {
  return <p className="leading-relaxed break-words whitespace-pre-wrap">{text}</p>;
}

/** Message text (Markdown, or `plain` as typed), paged by characters when it is very long. */
export function PagedMessage({ text, plain = false }: { text: string; plain?: boolean }) {
  const [pages, setPages] = useState(1);
  const limit = pages * MESSAGE_PAGE_CHARS;
  const Text = plain ? PlainText : MessageText;
  if (text.length <= limit) return <Text text={text} />;
  return (
    <div className="flex flex-col gap-2">
      <Text text={`${text.slice(0, limit)}…`} />
      <button type="button" className={moreButton} onClick={() => setPages((p) => p + 1)}>
        Show more ({(text.length - limit).toLocaleString("en-US")} more characters)
      </button>
    </div>
  );
}
