import { describeSandbox, sandboxChipLabel } from "@/lib/timeline/describe-sandbox";
import type { TSandboxState, TSandboxStatus } from "@/lib/timeline/fold-timeline";

const TONES: Record<TSandboxStatus, { classes: string; dot: string }> = {
  provisioning: { classes: "bg-amber-50 text-amber-800 ring-amber-300 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-800", dot: "bg-amber-500 animate-pulse" },
  ready: { classes: "bg-emerald-50 text-emerald-800 ring-emerald-300 dark:bg-emerald-950 dark:text-emerald-300 dark:ring-emerald-800", dot: "bg-emerald-500" },
  failed: { classes: "bg-red-50 text-red-800 ring-red-300 dark:bg-red-950 dark:text-red-200 dark:ring-red-800", dot: "bg-red-500" },
  replaced: { classes: "bg-zinc-100 text-zinc-700 ring-zinc-300 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-700", dot: "bg-zinc-400" },
};

/**
 * The session's sandbox in the header, as the log last reported it: a pill whose words say the
 * status and whose accessible name says all of it ("Sandbox ready (local, 0.8 s)"). Nothing is
 * shown before the first report: a session whose tools never needed a sandbox has none.
 */
export function SandboxChip({ sandbox }: { sandbox: TSandboxState | null }) {
  if (!sandbox) return null;
  const tone = TONES[sandbox.status];
  const full = describeSandbox(sandbox);
  return (
    <span
      role="status"
      aria-label={full}
      title={full}
      data-testid="sandbox-status"
      data-sandbox-status={sandbox.status}
      className={`inline-flex shrink-0 items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${tone.classes}`}
    >
      <span aria-hidden="true" className={`size-1.5 rounded-full ${tone.dot}`} />
      {sandboxChipLabel(sandbox.status)}
    </span>
  );
}
