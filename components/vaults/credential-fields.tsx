"use client";

import type { TCredentialFormValues } from "@/lib/vault/ui/credential-form";
import { CheckboxField, FormSection, TextAreaField } from "@/components/agents/fields";
import { SelectField } from "@/components/ui/select-field";
import { TextField } from "@/components/ui/text-field";
import { RadioCard } from "@/components/ui/radio-card";

type TProps = {
  /** On update the type, MCP server URL, variable name and client ID are fixed, and a secret left blank is kept. */
  mode: "create" | "update";
  values: TCredentialFormValues;
  set: (patch: Partial<TCredentialFormValues>) => void;
  errorOf: (field: string) => string | undefined;
};

const KEEP = "Leave blank to keep the current one.";

/**
 * The fields of a credential of the values' type. Secrets are password fields the form does not
 * keep in its state: what is typed goes to the server once and is never shown again.
 */
export function CredentialFields({ mode, values, set, errorOf }: TProps) {
  const creating = mode === "create";
  const secret = (name: string, label: string, hint: string) => (
    <TextField
      id={`credential-${name.replaceAll("_", "-")}`}
      name={name}
      label={label}
      type="password"
      required={creating}
      autoComplete="off"
      spellCheck={false}
      hint={creating ? hint : `${hint} ${KEEP}`}
      error={errorOf(name)}
    />
  );
  const text = (name: keyof TCredentialFormValues & string, label: string, hint?: string, required = false) => (
    <TextField
      id={`credential-${name.replaceAll("_", "-")}`}
      name={name}
      label={label}
      required={required}
      autoComplete="off"
      spellCheck={false}
      hint={hint}
      value={String(values[name])}
      onChange={(event) => set({ [name]: event.currentTarget.value })}
      error={errorOf(name)}
    />
  );

  if (values.type === "static_bearer") {
    return (
      <div className="grid gap-5 sm:grid-cols-2">
        {creating ? text("mcp_server_url", "MCP server URL", "The server the token is sent to, e.g. https://mcp.example.com/mcp.", true) : null}
        {secret("token", creating ? "Token" : "New token", "Sent as “Authorization: Bearer …” to that server only.")}
      </div>
    );
  }

  if (values.type === "mcp_oauth") {
    return (
      <div className="flex flex-col gap-5">
        <div className="grid gap-5 sm:grid-cols-2">
          {creating ? text("mcp_server_url", "MCP server URL", "The server the access token is sent to.", true) : null}
          {secret("access_token", creating ? "Access token" : "New access token", "The OAuth access token.")}
          {text("expires_at", "Access token expires at", "Optional. An RFC 3339 time such as 2030-01-01T00:00:00Z.")}
        </div>
        {creating ? (
          <CheckboxField
            id="credential-refresh"
            name="refresh"
            label="The token can be refreshed"
            hint="With a refresh token, the server gets a new access token when this one expires."
            checked={values.refresh}
            onChange={(event) => set({ refresh: event.currentTarget.checked })}
            error={errorOf("refresh")}
          />
        ) : null}
        {values.refresh ? (
          <div className="grid gap-5 rounded-lg border border-zinc-200 p-4 sm:grid-cols-2 dark:border-zinc-800">
            {creating ? text("client_id", "Client ID", undefined, true) : null}
            {secret("refresh_token", creating ? "Refresh token" : "New refresh token", "Exchanged at the token endpoint for new access tokens.")}
            {creating ? text("token_endpoint", "Token endpoint", "e.g. https://auth.example.com/oauth/token.", true) : null}
            {creating ? (
              <SelectField
                id="credential-token-endpoint-auth"
                name="token_endpoint_auth"
                label="Client authentication"
                value={values.token_endpoint_auth}
                onChange={(event) => set({ token_endpoint_auth: event.currentTarget.value as TCredentialFormValues["token_endpoint_auth"] })}
                error={errorOf("token_endpoint_auth")}
                options={[
                  { value: "none", label: "None (public client)" },
                  { value: "client_secret_basic", label: "Client secret, HTTP Basic" },
                  { value: "client_secret_post", label: "Client secret, in the body" },
                ]}
              />
            ) : null}
            {values.token_endpoint_auth !== "none" ? secret("client_secret", creating ? "Client secret" : "New client secret", "Authenticates the client at the token endpoint.") : null}
            {text("scope", "Scope", "Optional, e.g. “read write”.")}
            {creating ? text("resource", "Resource", "Optional. The resource indicator (RFC 8707), an absolute URI.") : null}
          </div>
        ) : null}
      </div>
    );
  }

  const limited = values.networking === "limited";
  return (
    <div className="flex flex-col gap-5">
      <div className="grid gap-5 sm:grid-cols-2">
        {creating ? text("secret_name", "Variable name", "What the sandbox sees, e.g. GITHUB_TOKEN. It holds a placeholder, never the value.", true) : null}
        {secret("secret_value", creating ? "Value" : "New value", "Swapped in for the placeholder on requests to the allowed hosts.")}
      </div>
      <FormSection legend="Allowed hosts" description="Where requests may carry the value." error={errorOf("networking")}>
        <div className="grid gap-3 sm:grid-cols-2">
          <RadioCard
            name="networking"
            value="limited"
            checked={limited}
            onChange={() => set({ networking: "limited" })}
            title="Only these hosts"
            description="The value is sent only to the hosts you list."
          />
          <RadioCard
            name="networking"
            value="unrestricted"
            checked={!limited}
            onChange={() => set({ networking: "unrestricted" })}
            title="Any host"
            description="The value may be sent wherever the sandbox connects."
          />
        </div>
        {limited ? (
          <TextAreaField
            id="credential-allowed-hosts"
            name="allowed_hosts"
            label="Hosts"
            rows={3}
            spellCheck={false}
            autoCapitalize="off"
            autoCorrect="off"
            className="field-sizing-content max-h-80 font-mono"
            hint="One per line, e.g. api.github.com or *.example.com (at most 16)."
            value={values.allowed_hosts}
            onChange={(event) => set({ allowed_hosts: event.currentTarget.value })}
            error={errorOf("allowed_hosts")}
          />
        ) : null}
      </FormSection>
      <FormSection legend="Replace the placeholder in" description="The parts of an outgoing request where the placeholder becomes the value." error={errorOf("injection_location")}>
        <div className="flex flex-col gap-3 sm:flex-row sm:gap-8">
          <CheckboxField
            id="credential-inject-header"
            name="inject_header"
            label="Headers"
            aria-invalid={errorOf("injection_location") ? true : undefined}
            checked={values.inject_header} onChange={(event) => set({ inject_header: event.currentTarget.checked })} />
          <CheckboxField id="credential-inject-body" name="inject_body" label="Body" checked={values.inject_body} onChange={(event) => set({ inject_body: event.currentTarget.checked })} />
        </div>
      </FormSection>
    </div>
  );
}
