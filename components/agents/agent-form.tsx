"use client";

import { useEffect, useRef, useState } from "react";
import { agentFieldNames, EMPTY_INPUT_SCHEMA, type TAgentFormValues, type TCustomToolRow } from "@/lib/agents/ui/agent-form";
import { Alert } from "@/components/ui/alert";
import { TextField } from "@/components/ui/text-field";
import { FormFrame } from "@/components/forms/form-frame";
import { fieldError, type TFormAction, type TFormState } from "@/components/forms/form-state";
import { useFormAction } from "@/components/forms/use-form-action";
import { BuiltinToolsSection } from "./builtin-tools-section";
import { FormSection, TextAreaField } from "./fields";
import { McpServersSection } from "./mcp-servers-section";
import { RowCard, RowList } from "./row-list";

export type TAgentSaved = { version: number; changed: boolean };

type TCustomRowState = TCustomToolRow & { key: number };

type TProps = {
  action: TFormAction<TAgentSaved>;
  initial: TAgentFormValues;
  /** The version the form was loaded from; absent for a new agent. */
  version?: number;
  /** Built-in tools this server runs; the others are accepted but not offered to the model. */
  runnableTools: readonly string[];
  modelSuggestions: readonly string[];
  /** Said under the model field instead of the default hint (e.g. which model really answers). */
  modelHint?: string;
  /** A message to show before the first submit, e.g. after the agent was created. */
  notice?: string;
  /** Archived agents are shown, not edited. */
  readOnly?: boolean;
  /** Where "Reload" goes after a conflicting edit (the agent's page). */
  reloadHref?: string;
  cancelHref?: string;
};

/**
 * The agent's configuration: name, model, system prompt, built-in tools with their permission
 * policy, custom tools with a JSON input schema, and MCP servers with their tools. The server checks everything and answers
 * field by field; focus goes to the first refused field. Saving an existing agent makes a new
 * version, and says which.
 */
export function AgentForm({ action, initial, version, runnableTools, modelSuggestions, modelHint, notice, readOnly = false, reloadHref, cancelHref }: TProps) {
  const form = useFormAction(action);
  const { state } = form;
  const [values, setValues] = useState(initial);
  const nextKey = useRef(initial.custom.length);
  const [custom, setCustom] = useState<TCustomRowState[]>(() => initial.custom.map((row, key) => ({ ...row, key })));
  const [baseVersion, setBaseVersion] = useState(version);
  // Row errors are by position; once rows are added or removed they no longer point at the right row.
  const [rowErrorsHiddenFor, setRowErrorsHiddenFor] = useState<TFormState<TAgentSaved> | null>(null);
  const [focusKey, setFocusKey] = useState<number | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const addButtonRef = useRef<HTMLButtonElement>(null);
  const [offersAuto] = useState(() => new Set<string>(initial.builtin.filter((row) => row.policy === "auto").map((row) => row.name)));

  useEffect(() => {
    if (state.status === "success") setBaseVersion(state.data.version);
  }, [state]);

  const isNew = version === undefined;
  const conflict = fieldError(state, "version");
  const rowError = (index: number, part: keyof TCustomToolRow) => (rowErrorsHiddenFor === form.answer ? undefined : fieldError(state, agentFieldNames.custom(index, part)));

  function setCustomRow(key: number, patch: Partial<TCustomToolRow>) {
    setCustom((rows) => rows.map((row) => (row.key === key ? { ...row, ...patch } : row)));
  }

  function addCustomRow() {
    const key = nextKey.current++;
    setCustom((rows) => [...rows, { key, name: "", description: "", input_schema: EMPTY_INPUT_SCHEMA }]);
    setRowErrorsHiddenFor(form.answer);
    setFocusKey(key);
    setAnnouncement(`Custom tool ${custom.length + 1} added.`);
  }

  function removeCustomRow(key: number, label: string) {
    setCustom((rows) => rows.filter((row) => row.key !== key));
    setRowErrorsHiddenFor(form.answer);
    setFocusKey(null);
    setAnnouncement(`${label} removed.`);
    addButtonRef.current?.focus();
  }

  return (
    <FormFrame
      form={form}
      label={isNew ? "New agent" : "Agent configuration"}
      alert={
        conflict ? (
          <Alert tone="error" title="Not saved: this agent has a newer version">
            <p>{conflict}</p>
            {reloadHref ? (
              <p className="mt-2">
                <a href={reloadHref} className="font-medium underline underline-offset-4">
                  Reload the agent
                </a>
              </p>
            ) : null}
          </Alert>
        ) : null
      }
      saved={
        state.status === "success"
          ? state.data.changed
            ? `Saved as version ${state.data.version}.`
            : `No changes to save: this is still version ${state.data.version}.`
          : undefined
      }
      notice={notice}
      readOnly={readOnly}
      cancelHref={cancelHref}
      submitLabel={isNew ? "Create agent" : "Save as a new version"}
      pendingLabel={isNew ? "Creating…" : "Saving…"}
    >
      <fieldset disabled={readOnly} className="flex min-w-0 flex-col gap-6">
        {baseVersion !== undefined ? <input type="hidden" name="version" value={baseVersion} /> : null}
        <div className="grid gap-5 sm:grid-cols-2">
          <TextField
            id="agent-name"
            name="name"
            label="Name"
            required
            maxLength={256}
            autoComplete="off"
            value={values.name}
            onChange={(event) => setValues({ ...values, name: event.currentTarget.value })}
            error={fieldError(state, "name")}
          />
          <TextField
            id="agent-model"
            name="model"
            label="Model"
            required
            maxLength={256}
            autoComplete="off"
            spellCheck={false}
            list="agent-model-suggestions"
            className="font-mono"
            hint={modelHint ?? "A model id of the Messages API. Pick a suggestion or type any id."}
            value={values.model}
            onChange={(event) => setValues({ ...values, model: event.currentTarget.value })}
            error={fieldError(state, "model")}
          />
          <datalist id="agent-model-suggestions">
            {modelSuggestions.map((model) => (
              <option key={model} value={model} />
            ))}
          </datalist>
        </div>
        <TextField
          id="agent-description"
          name="description"
          label="Description"
          maxLength={2048}
          autoComplete="off"
          hint="Optional. What the agent is for, for the people on your team."
          value={values.description}
          onChange={(event) => setValues({ ...values, description: event.currentTarget.value })}
          error={fieldError(state, "description")}
        />
        <TextAreaField
          id="agent-system"
          name="system"
          label="System prompt"
          rows={10}
          className="field-sizing-content max-h-[70vh] min-h-48"
          hint="Optional. Instructions the model receives at the start of every session."
          value={values.system}
          onChange={(event) => setValues({ ...values, system: event.currentTarget.value })}
          error={fieldError(state, "system")}
        />

        <BuiltinToolsSection
          rows={values.builtin}
          runnableTools={runnableTools}
          offersAuto={offersAuto}
          error={fieldError(state, "builtin")}
          onChange={(name, patch) => setValues((current) => ({ ...current, builtin: current.builtin.map((row) => (row.name === name ? { ...row, ...patch } : row)) }))}
        />

        <FormSection
          legend="Custom tools"
          description="Tools your application runs: the agent calls them with input that matches the schema, and the session waits for your application's result."
        >
          <RowList
            empty={custom.length === 0 ? "No custom tools." : null}
            readOnly={readOnly}
            addLabel="Add custom tool"
            addButtonRef={addButtonRef}
            onAdd={addCustomRow}
            announcement={announcement}
          >
            {custom.map((row, index) => {
              const label = `Custom tool ${index + 1}${row.name ? ` (${row.name})` : ""}`;
              const id = `agent-custom-${row.key}`;
              return (
                <RowCard key={row.key} label={label} readOnly={readOnly} onRemove={() => removeCustomRow(row.key, label)}>
                  <div className="grid gap-4 sm:grid-cols-2">
                    <TextField
                      id={`${id}-name`}
                      name={agentFieldNames.custom(index, "name")}
                      label="Name"
                      required
                      maxLength={128}
                      autoComplete="off"
                      spellCheck={false}
                      className="font-mono"
                      autoFocus={focusKey === row.key}
                      hint="Letters, digits, _ and -."
                      value={row.name}
                      onChange={(event) => setCustomRow(row.key, { name: event.currentTarget.value })}
                      error={rowError(index, "name")}
                    />
                    <TextField
                      id={`${id}-description`}
                      name={agentFieldNames.custom(index, "description")}
                      label="Description"
                      autoComplete="off"
                      hint="Tells the model when to use the tool."
                      value={row.description}
                      onChange={(event) => setCustomRow(row.key, { description: event.currentTarget.value })}
                      error={rowError(index, "description")}
                    />
                  </div>
                  <TextAreaField
                    id={`${id}-input-schema`}
                    name={agentFieldNames.custom(index, "input_schema")}
                    label="Input schema (JSON)"
                    rows={6}
                    spellCheck={false}
                    autoCapitalize="off"
                    autoCorrect="off"
                    className="field-sizing-content max-h-[60vh] min-h-32 font-mono text-xs"
                    hint={
                      <>
                        A JSON Schema for the tool&apos;s input, with <code className="font-mono">&quot;type&quot;: &quot;object&quot;</code>.
                      </>
                    }
                    value={row.input_schema}
                    onChange={(event) => setCustomRow(row.key, { input_schema: event.currentTarget.value })}
                    error={rowError(index, "input_schema")}
                  />
                </RowCard>
              );
            })}
          </RowList>
        </FormSection>

        <McpServersSection initial={initial.mcp} state={state} answer={form.answer} readOnly={readOnly} />
      </fieldset>
    </FormFrame>
  );
}
