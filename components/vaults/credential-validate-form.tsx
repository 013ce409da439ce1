"use client";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { TFormAction } from "@/components/forms/form-state";
import { useFormAction } from "@/components/forms/use-form-action";

export type TValidationView = {
  status: "valid" | "invalid" | "unknown";
  refresh: string | null;
  probe: { method: string; statusCode: number | null } | null;
};

const VERDICTS = {
  valid: { tone: "success", title: "Valid", text: "The MCP server accepted the token." },
  invalid: { tone: "error", title: "Invalid", text: "The MCP server refused the token and no refresh recovered it: the user needs to authorize again." },
  unknown: { tone: "info", title: "Unknown", text: "The MCP server or the token endpoint could not be reached. Check again later." },
} as const;

const REFRESHES: Record<string, string> = {
  succeeded: "The token was refreshed and the new one stored.",
  failed: "The token endpoint refused the refresh.",
  connect_error: "The token endpoint could not be reached.",
  no_refresh_token: "The credential has no refresh token.",
};

/** "Check now": validates an MCP OAuth credential against its server and says what came of it. */
export function CredentialValidateForm({ action }: { action: TFormAction<TValidationView> }) {
  const { state, pending, formRef, submit, message } = useFormAction(action);
  const view = state.status === "success" ? state.data : null;
  const verdict = view ? VERDICTS[view.status] : null;
  return (
    <form ref={formRef} onSubmit={submit} className="flex flex-col gap-4" aria-label="Check the credential">
      <div aria-live="polite" className="empty:hidden">
        {message ? (
          <Alert tone="error">{message}</Alert>
        ) : view && verdict ? (
          <Alert tone={verdict.tone} title={verdict.title}>
            <p>{verdict.text}</p>
            {view.refresh ? <p>{REFRESHES[view.refresh]}</p> : null}
            {view.probe ? (
              <p>
                Failed step: <code>{view.probe.method}</code>
                {view.probe.statusCode !== null ? ` (HTTP ${view.probe.statusCode})` : " (no HTTP answer)"}.
              </p>
            ) : null}
          </Alert>
        ) : null}
      </div>
      <div>
        <Button type="submit" variant="secondary" pending={pending} pendingLabel="Checking…">
          Check now
        </Button>
      </div>
    </form>
  );
}
