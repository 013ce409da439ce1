import { VAULT_IDS_FIELD } from "@/lib/sessions/ui/start-session-fields";

export type TVaultOption = { id: string; name: string; credentials: number };

const ID = "session-vaults";

/**
 * The vaults a new session may use, ticked from the team's non-archived ones (none by default).
 * Each checkbox is named like the API's field (`vault_ids`); the error of the API's check is the
 * group's, and each checkbox is described by it, so the first one takes the focus.
 */
export function VaultPicker({ vaults, checked, error }: { vaults: readonly TVaultOption[]; checked: readonly string[]; error?: string }) {
  const describedBy = [error ? `${ID}-error` : null, `${ID}-hint`].filter(Boolean).join(" ");
  return (
    <fieldset id={ID} className="flex min-w-0 flex-col gap-2">
      <legend className="mb-1.5 text-sm font-medium text-zinc-800 dark:text-zinc-200">Vaults (optional)</legend>
      {vaults.length === 0 ? (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">The team has no vaults. A vault holds credentials a session uses without seeing them.</p>
      ) : (
        <ul className="flex flex-col gap-2">
          {vaults.map((vault) => (
            <li key={vault.id} className="flex items-start gap-3">
              <input
                id={`${ID}-${vault.id}`}
                name={VAULT_IDS_FIELD}
                value={vault.id}
                type="checkbox"
                defaultChecked={checked.includes(vault.id)}
                aria-invalid={error ? true : undefined}
                aria-describedby={describedBy}
                className="mt-0.5 size-4 shrink-0 rounded border-zinc-300 accent-brand-600 dark:border-zinc-700"
              />
              <label htmlFor={`${ID}-${vault.id}`} className="min-w-0 text-sm break-words text-zinc-800 dark:text-zinc-200">
                <span className="font-medium">{vault.name}</span>{" "}
                <span className="text-zinc-500 dark:text-zinc-400">
                  · {vault.credentials} {vault.credentials === 1 ? "credential" : "credentials"}
                </span>
              </label>
            </li>
          ))}
        </ul>
      )}
      {error ? (
        <p id={`${ID}-error`} className="flex items-start gap-1.5 text-sm text-red-700 dark:text-red-400">
          <span aria-hidden="true">⚠</span>
          <span>{error}</span>
        </p>
      ) : null}
      <p id={`${ID}-hint`} className="text-sm text-zinc-500 dark:text-zinc-400">
        Their credentials are applied outside the sandbox, for their hosts and MCP servers: the secrets never reach the sandbox or the model.
      </p>
    </fieldset>
  );
}
