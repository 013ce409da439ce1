import { ConfirmActionForm } from "@/components/forms/confirm-action-form";
import type { TFormAction } from "@/components/forms/form-state";
import { EmptyState } from "@/components/ui/card";
import { DateText } from "@/components/ui/date-text";

export type TApiKeyRow = { id: string; name: string; hint: string; createdAt: Date; lastUsedAt: Date | null; createdBy: string | null };

/** The active keys with a Revoke button each. `environment`: the keys of one self-hosted environment. */
export function ApiKeyList({ keys, revokeAction, environment = false }: { keys: TApiKeyRow[]; revokeAction: TFormAction<null>; environment?: boolean }) {
  if (keys.length === 0) {
    return environment ? (
      <EmptyState title="No environment keys yet">Create a key for the workers that run this environment&apos;s tools on your machines.</EmptyState>
    ) : (
      <EmptyState title="No API keys yet">
        Create a key to call the API from scripts, CI or the Anthropic SDK pointed at this server.
      </EmptyState>
    );
  }
  return (
    <ul aria-label={environment ? "Environment keys" : "API keys"} className="-my-2 divide-y divide-zinc-200 dark:divide-zinc-800">
      {keys.map((key) => (
        <li key={key.id} className="flex flex-col gap-3 py-3 sm:flex-row sm:items-center sm:justify-between">
          <div className="flex min-w-0 flex-col gap-0.5">
            <p className="flex flex-wrap items-center gap-2">
              <span className="truncate font-medium">{key.name}</span>
              <span className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">{key.hint}</span>
            </p>
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              Created <DateText date={key.createdAt} />
              {key.createdBy ? ` by ${key.createdBy}` : ""} · {key.lastUsedAt ? <>last used <DateText date={key.lastUsedAt} /></> : "never used"}
            </p>
          </div>
          <ConfirmActionForm
            action={revokeAction}
            fields={{ apiKeyId: key.id }}
            label="Revoke"
            accessibleLabel={`Revoke ${key.name}`}
            question="Revoke this key? Requests using it are refused at once."
            confirmLabel="Revoke"
            pendingLabel="Revoking…"
          />
        </li>
      ))}
    </ul>
  );
}
