import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { Busboy, type BusboyConfig } from "@fastify/busboy";
import { AppError } from "@/lib/errors";

/**
 * A request body as a multipart form being read: the parser, fed by the body. A body that is not
 * `multipart/form-data` (or has no boundary) is a 400 saying what the form must hold (`expects`),
 * the body dropped unread.
 */
export async function openMultipartForm(
  contentType: string | null,
  body: ReadableStream<Uint8Array> | null,
  options: { expects: string; config: Omit<BusboyConfig, "headers"> },
): Promise<{ busboy: ReturnType<typeof Busboy>; source: Readable }> {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType) || !body) {
    await body?.cancel().catch(() => {});
    throw new AppError("invalid_request", `body: must be multipart/form-data with ${options.expects}`);
  }
  let busboy: ReturnType<typeof Busboy>;
  try {
    busboy = Busboy({ headers: { "content-type": contentType }, ...options.config });
  } catch {
    await body.cancel().catch(() => {});
    throw new AppError("invalid_request", "body: the multipart/form-data content type has no boundary");
  }
  return { busboy, source: Readable.fromWeb(body as WebReadableStream<Uint8Array>) };
}

/** Where a form's reading stands: parsed to its end, and the request read to its end. */
export type TFormEnds = { parsed: boolean; drained: boolean };

/**
 * The events every multipart upload (files, skills) handles alike, wired to `busboy` reading
 * `source`: text fields collected into `fields` (an unknown one, a truncated one or one given
 * twice refused with a 400 naming it), the form's limits and a malformed body refused with 400s,
 * and the two ends the caller waits for (returned, `settle` told at each): the form parsed, and
 * the request read to its end (also after a failure, when the rest of the request is read and
 * dropped). A request that breaks off is that failure.
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
    /** Told at each end reached (see the returned ends). */
    settle(): void;
  },
): TFormEnds {
  const ends: TFormEnds = { parsed: false, drained: false };
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
  busboy.on("finish", () => {
    ends.parsed = true;
    handlers.settle();
  });
  source.on("end", () => {
    ends.drained = true;
    handlers.settle();
  });
  source.on("error", (error) => {
    fail(error); // the client went away: nothing to answer, but nothing is kept either
    ends.drained = true;
    handlers.settle();
  });
  return ends;
}
