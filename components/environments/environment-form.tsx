"use client";

import { RadioCard } from "@/components/ui/radio-card";
import { useState } from "react";
import { PACKAGE_MANAGERS, type TEnvironmentFormValues } from "@/lib/environments/ui/environment-form";
import { CheckboxField, FormSection, TextAreaField } from "@/components/agents/fields";
import { TextField } from "@/components/ui/text-field";
import { FormFrame } from "@/components/forms/form-frame";
import { fieldError, type TFormAction } from "@/components/forms/form-state";
import { useFormAction } from "@/components/forms/use-form-action";

type TProps = {
  action: TFormAction<null>;
  initial: TEnvironmentFormValues;
  isNew: boolean;
  notice?: string;
  readOnly?: boolean;
  cancelHref?: string;
  /** Whether this server has Vercel credentials; without them choosing Vercel is refused on save. */
  vercelConfigured?: boolean;
};

const PACKAGE_HINTS: Record<string, string> = {
  apt: "e.g. ripgrep",
  cargo: "e.g. tokei",
  gem: "e.g. rubocop",
  go: "e.g. golang.org/x/tools/gopls@latest",
  npm: "e.g. typescript@5",
  pip: "e.g. requests==2.32.3",
};

/**
 * Where an agent's tools run: a cloud sandbox (with its network policy and packages) or the team's
 * own workers. Hosts and packages are one per line; the server names a refused line next to its field.
 */
export function EnvironmentForm({ action, initial, isNew, notice, readOnly = false, cancelHref, vercelConfigured = false }: TProps) {
  const form = useFormAction(action);
  const { state } = form;
  const [values, setValues] = useState(initial);
  const set = (patch: Partial<TEnvironmentFormValues>) => setValues((current) => ({ ...current, ...patch }));
  const cloud = values.type === "cloud";
  const limited = values.networking === "limited";

  return (
    <FormFrame
      form={form}
      label={isNew ? "New environment" : "Environment configuration"}
      saved={state.status === "success" ? (state.message ?? "Saved.") : undefined}
      notice={notice}
      readOnly={readOnly}
      cancelHref={cancelHref}
      submitLabel={isNew ? "Create environment" : "Save changes"}
      pendingLabel={isNew ? "Creating…" : "Saving…"}
    >
      <fieldset disabled={readOnly} className="flex min-w-0 flex-col gap-6">
        <div className="grid gap-5 sm:grid-cols-2">
          <TextField
            id="environment-name"
            name="name"
            label="Name"
            required
            maxLength={256}
            autoComplete="off"
            value={values.name}
            onChange={(event) => set({ name: event.currentTarget.value })}
            error={fieldError(state, "name")}
          />
          <TextField
            id="environment-description"
            name="description"
            label="Description"
            maxLength={2048}
            autoComplete="off"
            hint="Optional."
            value={values.description}
            onChange={(event) => set({ description: event.currentTarget.value })}
            error={fieldError(state, "description")}
          />
        </div>

        <FormSection
          legend="Sandbox"
          description={isNew ? "Where the agent's tools run. This cannot be changed later." : "Where the agent's tools run. This cannot be changed after the environment is created."}
          error={fieldError(state, "type")}
        >
          {isNew ? null : <input type="hidden" name="type" value={values.type} />}
          <div className="grid gap-3 sm:grid-cols-2">
            <RadioCard
              name="type"
              value="cloud"
              checked={values.type === "cloud"}
              disabled={!isNew}
              onChange={() => set({ type: "cloud" })}
              title="Cloud sandbox"
              description="This server provisions an isolated sandbox per session, with the network policy and packages below."
            />
            <RadioCard
              name="type"
              value="self_hosted"
              checked={values.type === "self_hosted"}
              disabled={!isNew}
              onChange={() => set({ type: "self_hosted" })}
              title="Self-hosted"
              description="Your own workers run the tools; network and packages are theirs to manage."
            />
          </div>
        </FormSection>

        {cloud ? (
          <>
            <FormSection legend="Sandbox provider" description="What isolates the sandbox. Changing it applies to sandboxes provisioned afterwards." error={fieldError(state, "sandbox_provider")}>
              <div className="grid gap-3 sm:grid-cols-2">
                <RadioCard
                  name="sandbox_provider"
                  value="local"
                  checked={values.sandbox_provider === "local"}
                  onChange={() => set({ sandbox_provider: "local" })}
                  title="Local sandbox"
                  description="A bubblewrap namespace on this server, with the egress proxy applying the network policy."
                />
                <RadioCard
                  name="sandbox_provider"
                  value="vercel"
                  checked={values.sandbox_provider === "vercel"}
                  onChange={() => set({ sandbox_provider: "vercel" })}
                  title="Vercel Sandbox"
                  description={
                    vercelConfigured
                      ? "A Vercel microVM per session; Vercel's firewall applies the network policy and credentials."
                      : "A Vercel microVM per session. Not configured on this server: it needs VERCEL_OIDC_TOKEN, or VERCEL_TOKEN, VERCEL_TEAM_ID and VERCEL_PROJECT_ID."
                  }
                />
              </div>
            </FormSection>

            <FormSection legend="Network" description="What the sandbox may reach on the network." error={fieldError(state, "networking")}>
              <div className="grid gap-3 sm:grid-cols-2">
                <RadioCard
                  name="networking"
                  value="unrestricted"
                  checked={!limited}
                  onChange={() => set({ networking: "unrestricted" })}
                  title="Unrestricted"
                  description="Any host on the internet."
                />
                <RadioCard
                  name="networking"
                  value="limited"
                  checked={limited}
                  onChange={() => set({ networking: "limited" })}
                  title="Limited"
                  description="Only the hosts you list, and optionally package registries and MCP servers."
                />
              </div>
              {limited ? (
                <div className="flex flex-col gap-4 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
                  <TextAreaField
                    id="environment-allowed-hosts"
                    name="allowed_hosts"
                    label="Allowed hosts"
                    rows={4}
                    spellCheck={false}
                    autoCapitalize="off"
                    autoCorrect="off"
                    className="field-sizing-content max-h-80 font-mono"
                    hint="One per line, e.g. api.github.com or *.example.com."
                    value={values.allowed_hosts}
                    onChange={(event) => set({ allowed_hosts: event.currentTarget.value })}
                    error={fieldError(state, "allowed_hosts")}
                  />
                  <CheckboxField
                    id="environment-allow-package-managers"
                    name="allow_package_managers"
                    label="Allow package managers"
                    hint="The registries of apt, npm, pip and the others, so packages can be installed."
                    checked={values.allow_package_managers}
                    onChange={(event) => set({ allow_package_managers: event.currentTarget.checked })}
                    error={fieldError(state, "allow_package_managers")}
                  />
                  <CheckboxField
                    id="environment-allow-mcp-servers"
                    name="allow_mcp_servers"
                    label="Allow MCP servers"
                    hint="The hosts of the MCP servers the agent is configured with."
                    checked={values.allow_mcp_servers}
                    onChange={(event) => set({ allow_mcp_servers: event.currentTarget.checked })}
                    error={fieldError(state, "allow_mcp_servers")}
                  />
                </div>
              ) : null}
            </FormSection>

            <FormSection legend="Packages" description="Packages the sandbox should have, per package manager, one per line.">
              <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
                {PACKAGE_MANAGERS.map((manager) => (
                  <TextAreaField
                    key={manager}
                    id={`environment-packages-${manager}`}
                    name={`packages.${manager}`}
                    label={<span className="font-mono">{manager}</span>}
                    rows={3}
                    spellCheck={false}
                    autoCapitalize="off"
                    autoCorrect="off"
                    className="field-sizing-content max-h-64 min-h-20 font-mono"
                    placeholder={PACKAGE_HINTS[manager]}
                    value={values.packages[manager]}
                    onChange={(event) => set({ packages: { ...values.packages, [manager]: event.currentTarget.value } })}
                    error={fieldError(state, `packages.${manager}`)}
                  />
                ))}
              </div>
            </FormSection>
          </>
        ) : null}
      </fieldset>
    </FormFrame>
  );
}
