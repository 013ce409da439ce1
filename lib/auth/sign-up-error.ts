/**
 * How a refused sign-up travels back to the form through next-auth, which only passes an error
 * string along: `sign-up:<field>:<message>`, where field is a form field or `form`.
 * Pure, no server code: the form decodes what the server encoded.
 */
const PREFIX = "sign-up:";

export function encodeSignUpError(field: string, message: string): string {
  return `${PREFIX}${field}:${message}`;
}

export function decodeSignUpError(error: string | null | undefined): { field: string; message: string } | null {
  if (!error?.startsWith(PREFIX)) return null;
  const rest = error.slice(PREFIX.length);
  const colon = rest.indexOf(":");
  if (colon <= 0) return null;
  return { field: rest.slice(0, colon), message: rest.slice(colon + 1) };
}
