import type { ReactNode } from "react";

/**
 * Message text with a little structure and no HTML: fenced code blocks (```), paragraphs split on
 * blank lines, and `inline code`. Everything else is plain text with its line breaks kept. The
 * text is only ever rendered as React text nodes, so nothing in it can become markup.
 */
type TSegment = { type: "code"; lang: string; text: string } | { type: "text"; text: string };

const OPEN_FENCE = /^ {0,3}```([^`]*)$/;
const CLOSE_FENCE = /^ {0,3}```\s*$/;

/** Splits text into code blocks (an unclosed fence runs to the end) and the text between them. */
export function splitFences(text: string): TSegment[] {
  const segments: TSegment[] = [];
  let prose: string[] = [];
  let code: { lang: string; lines: string[] } | null = null;
  for (const line of text.split("\n")) {
    if (code) {
      if (CLOSE_FENCE.test(line)) {
        segments.push({ type: "code", lang: code.lang, text: code.lines.join("\n") });
        code = null;
      } else {
        code.lines.push(line);
      }
      continue;
    }
    const open = OPEN_FENCE.exec(line);
    if (open) {
      if (prose.length > 0) segments.push({ type: "text", text: prose.join("\n") });
      prose = [];
      code = { lang: open[1]!.trim(), lines: [] };
    } else {
      prose.push(line);
    }
  }
  if (code) segments.push({ type: "code", lang: code.lang, text: code.lines.join("\n") });
  if (prose.length > 0) segments.push({ type: "text", text: prose.join("\n") });
  return segments;
}

function inline(text: string): ReactNode[] {
  const parts = text.split(/(`[^`\n]+`)/g);
  return parts.map((part, index) =>
    part.length > 2 && part.startsWith("`") && part.endsWith("`") ? (
      <code key={index} className="rounded bg-zinc-100 px-1 py-0.5 font-mono text-[0.9em] dark:bg-zinc-800">
        {part.slice(1, -1)}
      </code>
    ) : (
      part
    ),
  );
}

export function MessageText({ text }: { text: string }) {
  const segments = splitFences(text);
  return (
    <div className="flex min-w-0 flex-col gap-3 leading-relaxed break-words">
      {segments.map((segment, i) =>
        segment.type === "code" ? (
          <pre
            key={i}
            aria-label={segment.lang ? `${segment.lang} code` : "Code"}
            className="overflow-x-auto rounded-lg bg-zinc-100 px-3 py-2 font-mono text-sm leading-normal dark:bg-zinc-950"
          >
            <code>{segment.text}</code>
          </pre>
        ) : (
          segment.text
            .split(/\n[ \t]*\n/)
            .filter((paragraph) => paragraph.trim().length > 0)
            .map((paragraph, j) => (
              <p key={`${i}-${j}`} className="whitespace-pre-wrap">
                {inline(paragraph.replace(/^\n+|\n+$/g, ""))}
              </p>
            ))
        ),
      )}
    </div>
  );
}
