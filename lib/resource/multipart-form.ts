import type { Readable } from "node:stream";
import type { Busboy } from "@fastify/busboy";
import { AppError } from "@/lib/errors";

/**
 * The events every multipart upload (files, skills) handles alike, wired to `busboy` reading
 * `source`: text fields collected into `fields` (an unknown one, a truncated one or one given
 * twice refused with a 400 naming it), the form's limits and a malformed body refused with 400s,
 * and the two ends the caller waits for: the form parsed, and the request read to its end (also
 * after a failure, when the rest of the request is read and dropped). A request that breaks off is
 * that failure.
 */
export function watchMultipartForm(
  busboy: ReturnType<typeof Busboy>,
  source: Readable,
  handlers: {
    fields: Record<string, string>;
    allowedFields: ReadonlySet<string>;
    unknownField: (name: string) => string;
    tooManyFiles: string;
    fail(error: unknown): void;
    parsed(): void;
    drained(): void;
  },
): void {
  const { fields, fail } = handlers;
  busboy.on("field", (name, value, _nameTruncated, valueTruncated) => {
    if (!handlers.allowedFields.has(name)) return fail(new AppError("invalid_request", handlers.unknownField(name)));
    if (valueTruncated) return fail(new AppError("invalid_request", `${name}: too long`));
    if (name in fields) return fail(new AppError("invalid_request", `${name}: given more than once`));
    fields[name] = value;
  });
  busboy.on("filesLimit", () => fail(new AppError("invalid_request", handlers.tooManyFiles)));
  busboy.on("partsLimit", () => fail(new AppError("invalid_request", "body: too many form parts")));
  busboy.on("fieldsLimit", () => fail(new AppError("invalid_request", "body: too many form fields")));
  busboy.on("error", () => fail(new AppError("invalid_request", "body: malformed multipart/form-data")));
  busboy.on("finish", () => handlers.parsed());
  source.on("end", () => handlers.drained());
  source.on("error", (error) => {
    fail(error); // the client went away: nothing to answer, but nothing is kept either
    handlers.drained();
  });
}
