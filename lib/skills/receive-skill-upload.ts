import "server-only";
import { AppError } from "@/lib/errors";
import { openMultipartForm, watchMultipartForm, type TFormEnds } from "@/lib/resource/multipart-form";
import { SKILL_FILES_MAX, SKILL_PATH_MAX } from "./skill-folder";

export type TReceivedSkillUpload = {
  parts: { filename: string | undefined; content: Buffer }[];
  fields: Record<string, string>;
};

/**
 * Reads a skill upload (`multipart/form-data`, @fastify/busboy as for the Files API): every
 * `files[]` part (also `files`) is kept in memory with its filename as sent (the path in the
 * skill's folder; `skillFolderOf` checks it), the text fields in `allowedFields` are collected.
 * Past `maxBytes` in all, the upload fails with a 413; an unknown field or file part is a 400 naming
 * it. On failure the rest of the request is read and dropped before the error is thrown, so the
 * client gets the error response rather than a reset connection.
 */
export async function receiveSkillUpload(options: {
  contentType: string | null;
  body: ReadableStream<Uint8Array> | null;
  maxBytes: number;
  allowedFields: readonly string[];
}): Promise<TReceivedSkillUpload> {
  const { contentType, maxBytes } = options;
  const { busboy, source } = await openMultipartForm(contentType, options.body, {
    expects: "`files[]` parts",
    config: {
      preservePath: true, // the whole path reaches skillPath, which refuses "..", absolute paths and the like
      isPartAFile: (name, _type, filename) => name === "files[]" || name === "files" || filename !== undefined,
      limits: { files: SKILL_FILES_MAX, fields: 4, parts: SKILL_FILES_MAX + 4, fieldSize: 1024, fieldNameSize: 100, headerPairs: 20 },
    },
  });
  const allowed = new Set(options.allowedFields);

  return new Promise<TReceivedSkillUpload>((resolve, reject) => {
    let failure: unknown = null;
    let total = 0;
    let ends: TFormEnds = { parsed: false, drained: false };
    const parts: TReceivedSkillUpload["parts"] = [];
    const pending: Promise<void>[] = [];
    const fields: Record<string, string> = {};

    const settle = () => {
      if (!ends.drained || (!ends.parsed && !failure)) return;
      if (failure) return reject(failure); // parts cut off by the failure are not waited for
      Promise.all(pending).then(() => (failure ? reject(failure) : resolve({ parts, fields })), reject);
    };
    const fail = (error: unknown) => {
      if (failure) return;
      failure = error;
      source.unpipe(busboy);
      source.resume();
      settle();
    };

    busboy.on("file", (name, stream, filename) => {
      if (failure) return void stream.resume();
      if (name !== "files[]" && name !== "files") {
        stream.resume();
        return fail(new AppError("invalid_request", `${name}: unexpected file part; send the skill's files as \`files[]\``));
      }
      const index = parts.length;
      const chunks: Buffer[] = [];
      const part = { filename: typeof filename === "string" ? filename.slice(0, SKILL_PATH_MAX + 1) : undefined, content: Buffer.alloc(0) };
      parts.push(part);
      pending.push(
        new Promise<void>((done) => {
          stream.on("data", (chunk: Buffer) => {
            if (failure) return;
            total += chunk.length;
            if (total > maxBytes) return fail(new AppError("payload_too_large", `files[${index}]: the skill is larger than this server's limit of ${maxBytes} bytes`, { limitBytes: maxBytes }));
            chunks.push(chunk);
          });
          stream.on("end", () => {
            part.content = Buffer.concat(chunks);
            done();
          });
          stream.on("error", () => done());
        }),
      );
    });
    ends = watchMultipartForm(busboy, source, {
      fields,
      allowedFields: allowed,
      unknownField: (name) => `${name}: unknown form field (the fields are \`files[]\`${[...allowed].map((f) => ` and \`${f}\``).join("")})`,
      tooManyFiles: `files: at most ${SKILL_FILES_MAX} files`,
      fail,
      settle,
    });
    source.pipe(busboy);
  });
}
