"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { MAX_MCP_SERVERS, MAX_SYSTEM_CHARS } from "@/lib/agents/schemas";
import { BUILTIN_TOOL_NAMES, MAX_TOOLS, ZCustomToolParamsSchema } from "@/lib/agents/tool-schemas";
import { agentFieldKeyLength, agentFormData, PERMISSION_POLICIES } from "@/lib/agents/ui/agent-form";
import { issueFieldErrors } from "@/lib/agents/ui/form-field-errors";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { useCases } from "@/lib/server/root";
import type { TAgentSaved } from "@/components/agents/agent-form";
import type { TFormState } from "@/components/forms/form-state";
import { refused } from "../../../form-results";

const notBlank = (value: string) => value.trim().length > 0;

/** An input schema as typed: JSON text that must parse to an object; the API's schema checks the rest (`type: "object"`…). */
const ZInputSchemaText = z
  .string()
  .transform((text, ctx) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: `input_schema: not valid JSON: ${(error as Error).message}` });
      return z.NEVER;
    }
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      ctx.addIssue({ code: "custom", message: 'input_schema: must be a JSON object, such as {"type": "object", "properties": {}}' });
      return z.NEVER;
    }
    return value as Record<string, unknown>;
  })
  .pipe(ZCustomToolParamsSchema.shape.input_schema);

const ZCustomToolRowSchema = z.object({
  name: z
    .string()
    .min(1, { error: "Give the tool a name" })
    .max(128, { error: "Use at most 128 characters" })
    .regex(/^[A-Za-z0-9_-]+$/, { error: "Use only letters, digits, underscores and hyphens" }),
  description: z.string().max(10_000, { error: "Use at most 10,000 characters" }),
  input_schema: ZInputSchemaText,
});

/**
 * An MCP server row: only what the form itself must know (a name and a URL were given). The rest
 * (name length, an http(s) URL, unique names, each toolset naming a server) is the API's schema and
 * checks (`ZMcpServerParamsSchema`, `checkToolsAndServers`), run by the use-case and shown by the row.
 */
const ZMcpServerRowSchema = z.object({
  name: z.string().refine(notBlank, { error: "Give the server a name" }),
  url: z.string().refine(notBlank, { error: "Enter the server's URL, such as https://mcp.example.com/mcp" }),
  original: z.string().max(255),
  enabled: z.boolean(),
  policy: z.enum(PERMISSION_POLICIES, { error: "Choose Always allow or Always ask" }),
});

const ZAgentFormSchema = z.object({
  name: z.string().max(256, { error: "Use at most 256 characters" }).refine(notBlank, { error: "Give the agent a name" }),
  description: z.string().max(2048, { error: "Use at most 2048 characters" }),
  model: z.string().max(256, { error: "Use at most 256 characters" }).refine(notBlank, { error: "Enter a model, such as claude-sonnet-4-5" }),
  system: z.string().max(MAX_SYSTEM_CHARS, { error: `Use at most ${MAX_SYSTEM_CHARS.toLocaleString("en")} characters` }),
  builtin: z.array(
    z.object({
      name: z.enum(BUILTIN_TOOL_NAMES),
      enabled: z.boolean(),
      policy: z.enum(PERMISSION_POLICIES, { error: "Choose Always allow or Always ask" }),
    }),
  ),
  custom: z.array(ZCustomToolRowSchema).max(MAX_TOOLS - 1, { error: `At most ${MAX_TOOLS - 1} custom tools` }),
  mcp: z.array(ZMcpServerRowSchema).max(MAX_MCP_SERVERS, { error: `At most ${MAX_MCP_SERVERS} MCP servers` }),
});

const ZAgentUpdateFormSchema = ZAgentFormSchema.extend({
  version: z.coerce.number({ error: "Reload the agent and try again." }).int().min(1, { error: "Reload the agent and try again." }),
});

const agentsPath = (slug: string) => teamPath(slug, "agents");

function invalid(error: z.ZodError): TFormState<never> {
  return { status: "error", fieldErrors: issueFieldErrors(error, agentFieldKeyLength) };
}

/** Creates the agent (version 1) and opens it. */
export async function createAgentAction(teamSlug: string, _previous: TFormState<TAgentSaved>, formData: FormData): Promise<TFormState<TAgentSaved>> {
  const { team } = await requireMembership(useCases(), teamSlug);
  const parsed = ZAgentFormSchema.safeParse(agentFormData(formData));
  if (!parsed.success) return invalid(parsed.error);
  let agentId: string;
  try {
    ({ id: agentId } = await useCases().agents.createFromForm({ teamId: team.id, form: parsed.data }));
  } catch (error) {
    return refused(error);
  }
  revalidatePath(teamPath(team.slug), "layout");
  redirect(`${teamPath(team.slug, "agents", agentId)}?created=1`);
}

/** Saves the form as a new version of the agent (none when nothing changed). */
export async function updateAgentAction(teamSlug: string, agentId: string, _previous: TFormState<TAgentSaved>, formData: FormData): Promise<TFormState<TAgentSaved>> {
  const { team } = await requireMembership(useCases(), teamSlug);
  const parsed = ZAgentUpdateFormSchema.safeParse(agentFormData(formData));
  if (!parsed.success) return invalid(parsed.error);
  const { version, ...form } = parsed.data;
  try {
    const { agent, changed } = await useCases().agents.updateFromForm({ teamId: team.id, agentId, version, form });
    if (changed) revalidatePath(teamPath(team.slug), "layout");
    return { status: "success", data: { version: agent.version, changed } };
  } catch (error) {
    return refused(error);
  }
}

export async function archiveAgentAction(teamSlug: string, agentId: string, _previous: TFormState<null>): Promise<TFormState<null>> {
  const { team } = await requireMembership(useCases(), teamSlug);
  try {
    await useCases().agents.archive({ teamId: team.id, agentId });
  } catch (error) {
    return refused(error);
  }
  revalidatePath(agentsPath(team.slug), "layout");
  return { status: "success", data: null };
}
