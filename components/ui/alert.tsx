import type { ReactNode } from "react";

const TONES = {
  error: "border-red-200 bg-red-50 text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-300",
  success: "border-emerald-200 bg-emerald-50 text-emerald-900 dark:border-emerald-900 dark:bg-emerald-950 dark:text-emerald-300",
  info: "border-zinc-200 bg-zinc-50 text-zinc-700 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-300",
} as const;

/**
 * A message about a whole form or page. Errors are announced at once (`role="alert"`), the rest
 * politely (`role="status"`). It can take focus (tabIndex -1) so a form can move focus to it.
 */
export function Alert({ tone = "error", id, title, children }: { tone?: keyof typeof TONES; id?: string; title?: ReactNode; children?: ReactNode }) {
  return (
    <div id={id} tabIndex={-1} role={tone === "error" ? "alert" : "status"} className={`rounded-lg border px-4 py-3 text-sm ${TONES[tone]}`}>
      {title ? <p className="font-medium">{title}</p> : null}
      {children ? <div className={title ? "mt-1" : undefined}>{children}</div> : null}
    </div>
  );
}
