import { agentFieldNames, type TBuiltinToolRow } from "@/lib/agents/ui/agent-form";
import { INPUT_CLASSES } from "@/components/ui/text-field";
import { CheckboxField, FormSection } from "./fields";

const TOOL_HINTS: Record<string, string> = {
  bash: "Runs shell commands in the sandbox.",
  read: "Reads files in the workspace.",
  write: "Creates or overwrites files.",
  edit: "Replaces text in files.",
  glob: "Finds files by name pattern.",
  grep: "Searches file contents.",
  web_fetch: "Fetches a web page.",
  web_search: "Searches the web.",
};

const POLICY_LABELS = { always_allow: "Always allow", always_ask: "Always ask", auto: "Auto (asks, for now)" } as const;

/**
 * The agent's built-in tools, one row each: an "enabled" checkbox named after the tool and its
 * permission policy. "Auto" is offered only to tools that already have it (it asks, like "Always
 * ask", until there is a judge of each call).
 */
export function BuiltinToolsSection({
  rows,
  runnableTools,
  offersAuto,
  error,
  onChange,
}: {
  rows: readonly TBuiltinToolRow[];
  runnableTools: readonly string[];
  offersAuto: ReadonlySet<string>;
  error?: string;
  onChange: (name: string, patch: Partial<TBuiltinToolRow>) => void;
}) {
  return (
    <FormSection
      legend="Built-in tools"
      description="Tools the agent runs in its sandbox. With “Always ask”, each call waits until someone in the session allows or denies it."
      error={error}
    >
      <ul className="-my-3 divide-y divide-zinc-200 dark:divide-zinc-800">
        {rows.map((row) => {
          const id = `agent-tool-${row.name}`;
          const hint = TOOL_HINTS[row.name] ?? "";
          return (
            <li key={row.name} className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between sm:gap-6">
              <CheckboxField
                id={id}
                name={agentFieldNames.builtinEnabled(row.name)}
                label={<span className="font-mono">{row.name}</span>}
                hint={runnableTools.includes(row.name) ? hint : `${hint} Accepted for compatibility; this server does not run it yet.`.trim()}
                checked={row.enabled}
                onChange={(event) => onChange(row.name, { enabled: event.currentTarget.checked })}
              />
              <div className="pl-7 sm:w-48 sm:shrink-0 sm:pl-0">
                <label htmlFor={`${id}-policy`} className="sr-only">
                  Permission policy for {row.name}
                </label>
                <select
                  id={`${id}-policy`}
                  name={agentFieldNames.builtinPolicy(row.name)}
                  value={row.policy}
                  onChange={(event) => onChange(row.name, { policy: event.currentTarget.value as TBuiltinToolRow["policy"] })}
                  className={INPUT_CLASSES}
                >
                  <option value="always_allow">{POLICY_LABELS.always_allow}</option>
                  <option value="always_ask">{POLICY_LABELS.always_ask}</option>
                  {offersAuto.has(row.name) ? <option value="auto">{POLICY_LABELS.auto}</option> : null}
                </select>
              </div>
            </li>
          );
        })}
      </ul>
    </FormSection>
  );
}
