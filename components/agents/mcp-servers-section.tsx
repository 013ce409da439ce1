"use client";

import { useEffect, useRef, useState } from "react";
import { agentFieldNames } from "@/lib/agents/ui/agent-form";
import { NEW_MCP_SERVER_ROW, type TMcpServerRow } from "@/lib/agents/ui/mcp-servers-form";
import { INPUT_CLASSES, TextField } from "@/components/ui/text-field";
import { fieldError, type TFormState } from "@/components/forms/form-state";
import { CheckboxField, FormSection } from "./fields";
import { RowCard, RowList } from "./row-list";

type TRowState = TMcpServerRow & { key: number };

const POLICY_LABELS = { always_allow: "Always allow", always_ask: "Always ask", auto: "Auto (asks, for now)" } as const;

/**
 * The agent's MCP servers, one row each: its name and URL (`mcp_servers`), and whether its tools
 * are enabled, with their permission policy (the server's `mcp_toolset`). The server checks the
 * rows with the API's schema and puts each error by its field. A credential of a session's vault
 * for the server's URL is applied by the MCP proxy; it is never part of the agent.
 *
 * Row errors are by position: once rows are added or removed they are hidden until the next save.
 * After a save, each row's `original` becomes its name, so a second save finds the toolset again.
 */
export function McpServersSection({ initial, state, answer, readOnly }: { initial: readonly TMcpServerRow[]; state: TFormState<unknown>; answer: TFormState<unknown>; readOnly: boolean }) {
  const nextKey = useRef(initial.length);
  const [rows, setRows] = useState<TRowState[]>(() => initial.map((row, key) => ({ ...row, key })));
  const [errorsHiddenFor, setErrorsHiddenFor] = useState<TFormState<unknown> | null>(null);
  const [focusKey, setFocusKey] = useState<number | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const addButtonRef = useRef<HTMLButtonElement>(null);
  const [offersAuto] = useState(() => new Set(initial.flatMap((row, key) => (row.policy === "auto" ? [key] : []))));

  useEffect(() => {
    if (answer.status === "success") setRows((current) => current.map((row) => ({ ...row, original: row.name })));
  }, [answer]);

  const rowError = (index: number, part: keyof TMcpServerRow) => (errorsHiddenFor === answer ? undefined : fieldError(state, agentFieldNames.mcp(index, part)));
  const setRow = (key: number, patch: Partial<TMcpServerRow>) => setRows((current) => current.map((row) => (row.key === key ? { ...row, ...patch } : row)));

  function addRow() {
    const key = nextKey.current++;
    setRows((current) => [...current, { ...NEW_MCP_SERVER_ROW, key }]);
    setErrorsHiddenFor(answer);
    setFocusKey(key);
    setAnnouncement(`MCP server ${rows.length + 1} added.`);
  }

  function removeRow(key: number, label: string) {
    setRows((current) => current.filter((row) => row.key !== key));
    setErrorsHiddenFor(answer);
    setFocusKey(null);
    setAnnouncement(`${label} removed.`);
    addButtonRef.current?.focus();
  }

  return (
    <FormSection
      legend="MCP servers"
      description="Remote MCP servers whose tools the agent can call. A session's vault credential for a server's URL is added to its calls outside the sandbox; the agent never sees it."
      error={fieldError(state, "mcp")}
    >
      <RowList
        empty={rows.length === 0 ? "No MCP servers." : null}
        readOnly={readOnly}
        addLabel="Add MCP server"
        addButtonRef={addButtonRef}
        onAdd={addRow}
        announcement={announcement}
      >
        {rows.map((row, index) => {
          const label = `MCP server ${index + 1}${row.name ? ` (${row.name})` : ""}`;
          const id = `agent-mcp-${row.key}`;
          return (
            <RowCard key={row.key} label={label} readOnly={readOnly} onRemove={() => removeRow(row.key, label)}>
              <input type="hidden" name={agentFieldNames.mcp(index, "original")} value={row.original} />
              <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_minmax(0,2fr)]">
                <TextField
                  id={`${id}-name`}
                  name={agentFieldNames.mcp(index, "name")}
                  label="Name"
                  required
                  maxLength={255}
                  autoComplete="off"
                  spellCheck={false}
                  className="font-mono"
                  autoFocus={focusKey === row.key}
                  hint="Unique among the agent's servers."
                  value={row.name}
                  onChange={(event) => setRow(row.key, { name: event.currentTarget.value })}
                  error={rowError(index, "name")}
                />
                <TextField
                  id={`${id}-url`}
                  name={agentFieldNames.mcp(index, "url")}
                  label="URL"
                  type="url"
                  inputMode="url"
                  required
                  maxLength={2048}
                  autoComplete="off"
                  spellCheck={false}
                  className="font-mono"
                  placeholder="https://mcp.example.com/mcp"
                  value={row.url}
                  onChange={(event) => setRow(row.key, { url: event.currentTarget.value })}
                  error={rowError(index, "url")}
                />
              </div>
              <div className="flex flex-col gap-2 sm:flex-row sm:items-center sm:justify-between sm:gap-6">
                <CheckboxField
                  id={`${id}-enabled`}
                  name={agentFieldNames.mcp(index, "enabled")}
                  label="Enable this server's tools"
                  hint="Off: the server is kept, and the agent is offered none of its tools."
                  checked={row.enabled}
                  onChange={(event) => setRow(row.key, { enabled: event.currentTarget.checked })}
                  error={rowError(index, "enabled")}
                />
                <div className="pl-7 sm:w-48 sm:shrink-0 sm:pl-0">
                  <label htmlFor={`${id}-policy`} className="sr-only">
                    Permission policy for the tools of {label}
                  </label>
                  <select
                    id={`${id}-policy`}
                    name={agentFieldNames.mcp(index, "policy")}
                    value={row.policy}
                    onChange={(event) => setRow(row.key, { policy: event.currentTarget.value as TMcpServerRow["policy"] })}
                    className={INPUT_CLASSES}
                  >
                    <option value="always_allow">{POLICY_LABELS.always_allow}</option>
                    <option value="always_ask">{POLICY_LABELS.always_ask}</option>
                    {offersAuto.has(row.key) ? <option value="auto">{POLICY_LABELS.auto}</option> : null}
                  </select>
                </div>
              </div>
            </RowCard>
          );
        })}
      </RowList>
    </FormSection>
  );
}
