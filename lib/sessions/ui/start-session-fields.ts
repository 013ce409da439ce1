/** The value of the new-session form's environment field that asks for a new environment named "default". */
export const NEW_ENVIRONMENT = "new";

/** The new-session form's vault picker: one checkbox per vault, all named like the API's field. */
export const VAULT_IDS_FIELD = "vault_ids";

/** The vaults ticked, in the form's order, each once. */
export function vaultIdsOf(formData: FormData): string[] {
  return [...new Set(formData.getAll(VAULT_IDS_FIELD).filter((value): value is string => typeof value === "string" && value.length > 0))];
}

/** The ticked vaults as one text value, for a refused form to tick them again (`vaultIdsFromValue`). */
export function vaultIdsValue(ids: readonly string[]): string {
  return ids.join(",");
}

export function vaultIdsFromValue(value: string | undefined): string[] {
  return value ? value.split(",").filter(Boolean) : [];
}
