/**
 * Team slugs: the team's name in URLs (`/t/<slug>`). Pure and runtime-neutral (the team form
 * suggests a slug as the name is typed), so no Node imports here.
 */
export const TEAM_SLUG = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
export const TEAM_SLUG_RULE = "1 to 40 lowercase letters, digits and dashes, not starting or ending with a dash";

/** A slug made from free text: "Ada's Lab" → "adas-lab"; "" when nothing usable is left. */
export function slugify(text: string): string {
  const slug = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['’]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 34)
    .replace(/-+$/g, "");
  return TEAM_SLUG.test(slug) ? slug : "";
}

/** `base` with a short random suffix, for when `base` is taken: "ada" → "ada-k3x9q". */
export function withRandomSuffix(base: string): string {
  const [random] = globalThis.crypto.getRandomValues(new Uint32Array(1));
  const suffix = random!.toString(36).padStart(5, "0").slice(-5);
  return `${base.slice(0, 34).replace(/-+$/g, "")}-${suffix}`;
}
