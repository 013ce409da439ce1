import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import type { VaultCipher } from "../cipher";
import { createCredential } from "../create-credential";
import { findTeamCredential } from "../find-team-credential";
import { publicAuthOf } from "../credential-to-wire";
import { ZCredentialCreateSchema, ZCredentialUpdateSchema } from "../schemas";
import { updateCredential } from "../update-credential";
import { credentialCreateBody, credentialFieldErrors, credentialFieldOfPath, credentialUpdateBody, type TCredentialFormValues, type TSecretFields } from "./credential-form";

/**
 * The credential forms' use-cases: the form becomes the API's request body and goes through the
 * same use-cases, with the same validation, as `POST /v1/vaults/{id}/credentials[/{id}]`.
 * Refused input is returned field by field (every field at once); a refusal of the use-case that
 * names a field (`details.path`, or a twin credential for the same server or variable) comes back
 * as an AppError with `details.field`. Nothing returned ever holds a secret.
 */
export type TFormRefusal = { fieldErrors: Record<string, string>; message?: string };
type TSaveResult = { ok: true; credentialId: string } | ({ ok: false } & TFormRefusal);

type TOptions = { teamId: string; vaultId: string; values: TCredentialFormValues; secrets: TSecretFields };

export async function createCredentialFromForm(prisma: PrismaClient, cipher: VaultCipher, options: TOptions): Promise<TSaveResult> {
  const body = credentialCreateBody(options.values, options.secrets);
  const parsed = ZCredentialCreateSchema.safeParse(body);
  if (!parsed.success) return refusal(credentialFieldErrors(parsed.error, options.values));
  try {
    const credential = await createCredential(prisma, cipher, { teamId: options.teamId, vaultId: options.vaultId, body });
    return { ok: true, credentialId: credential.id };
  } catch (error) {
    throw withCredentialField(error, options.values.type === "environment_variable" ? "secret_name" : "mcp_server_url");
  }
}

export async function updateCredentialFromForm(prisma: PrismaClient, cipher: VaultCipher, options: TOptions & { credentialId: string }): Promise<TSaveResult> {
  const { credential } = await findTeamCredential(prisma, options);
  const body = credentialUpdateBody(publicAuthOf(credential), options.values, options.secrets);
  const parsed = ZCredentialUpdateSchema.safeParse(body);
  if (!parsed.success) return refusal(credentialFieldErrors(parsed.error, options.values));
  try {
    await updateCredential(prisma, cipher, { teamId: options.teamId, vaultId: options.vaultId, credentialId: credential.id, body });
    return { ok: true, credentialId: credential.id };
  } catch (error) {
    throw withCredentialField(error, null);
  }
}

/** Field errors that name no field of the form (`form`) become the form's message. */
function refusal(errors: Record<string, string>): { ok: false } & TFormRefusal {
  const { form, ...fieldErrors } = errors;
  return { ok: false, fieldErrors, ...(form ? { message: form } : {}) };
}

/** Puts a use-case's refusal next to the field it is about, for the app's `refused()`. */
function withCredentialField(error: unknown, twinField: string | null): unknown {
  if (!(error instanceof AppError)) return error;
  const path = error.details?.path;
  const field = typeof path === "string" ? credentialFieldOfPath(path) : error.details?.errorCode === "credential_already_exists" ? twinField : null;
  if (!field) return error;
  const text = typeof path === "string" && error.message.startsWith(`${path}: `) ? error.message.slice(path.length + 2) : error.message;
  const twin = field === "secret_name" ? "variable" : "MCP server";
  const message = error.details?.errorCode === "credential_already_exists" ? `This vault already has an active credential for this ${twin}: update or archive that one first.` : text;
  return new AppError(error.code, message.charAt(0).toUpperCase() + message.slice(1), { ...error.details, field });
}
