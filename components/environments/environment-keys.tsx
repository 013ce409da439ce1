import type { TFormAction } from "@/components/forms/form-state";
import { ApiKeyCreateForm, type TCreatedKey } from "@/components/teams/api-key-create-form";
import { ApiKeyList, type TApiKeyRow } from "@/components/teams/api-key-list";

/**
 * A self-hosted environment's keys: how to start a worker with one, a form that makes one (not for
 * an archived environment), and the active ones with a Revoke button each.
 */
export function EnvironmentKeys({
  environmentId,
  platformUrl,
  keys,
  createAction,
  revokeAction,
}: {
  environmentId: string;
  platformUrl: string;
  keys: TApiKeyRow[];
  createAction: TFormAction<TCreatedKey> | null;
  revokeAction: TFormAction<null>;
}) {
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-2 text-sm text-zinc-700 dark:text-zinc-300">
        <p>Start a worker on the machine that should run the tools, with a key from here:</p>
        <pre aria-label="Worker command" className="overflow-x-auto rounded-md bg-zinc-100 p-3 font-mono text-xs text-zinc-800 dark:bg-zinc-900 dark:text-zinc-200">
          {`ANTHROPIC_BASE_URL=${platformUrl} ANTHROPIC_API_KEY=<environment key> \\\n  npm run hands -- --environment ${environmentId} --workdir <directory>`}
        </pre>
      </div>
      {createAction ? <ApiKeyCreateForm action={createAction} environment /> : null}
      <ApiKeyList keys={keys} revokeAction={revokeAction} environment />
    </div>
  );
}
