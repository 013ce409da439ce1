import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { idPrefix, newId } from "@/lib/ids";
import type { TNewSessionRepository } from "@/lib/event-log/session-store";
import { mountPathsOverlap, repositoryMountPath } from "@/lib/sandbox/git/repository-mount-path";
import type { RepositoryCheckout } from "@/lib/sandbox/types";
import type { VaultCipher } from "@/lib/vault/cipher";

/**
 * A session's github_repository resources: what the API shows of them (no token), and what the
 * sandbox provisioning needs (the token, decrypted only on the way to the host-side clone).
 *
 * Decisions:
 * - the token is sealed with the vault cipher (AES-256-GCM under VAULT_KEY, like credential
 *   secrets), bound to `<session id>/<resource id>` as authenticated data, so a sealed token moved to
 *   another session or another repository row does not open;
 * - resource ids are `sesrsc_` plus the same time-ordered suffix as every other id;
 * - the rows live in `SessionRepository`, are written by the log store in the same write as their
 *   session (`TNewSession.repositories`), and are deleted with it (ON DELETE CASCADE).
 */
export type TRepositoryResourceInput = {
  type: "github_repository";
  url: string;
  authorization_token?: string;
  checkout?: { type: "branch"; name: string } | { type: "commit"; sha: string };
  mount_path?: string;
};

export type TWireRepositoryResource = {
  type: "github_repository";
  id: string;
  url: string;
  mount_path: string;
  checkout?: TRepositoryResourceInput["checkout"];
  created_at: string;
  updated_at: string;
};

export type TPreparedRepositories = { wire: TWireRepositoryResource[]; rows: TNewSessionRepository[] };

const RESOURCE_PREFIX = "sesrsc_";

/** A new session resource id: `sesrsc_` and the time-ordered suffix every id has. */
export function newResourceId(): string {
  return RESOURCE_PREFIX + newId("session").slice(idPrefix("session").length);
}

const aad = (sessionId: string, resourceId: string) => `${sessionId}/${resourceId}`;

/** Seals a repository resource's token for its `SessionRepository` row (bound to the session and resource). */
export function sealRepositoryToken(cipher: VaultCipher, sessionId: string, resourceId: string, token: string) {
  const sealed = cipher.encrypt(token, aad(sessionId, resourceId));
  return { tokenCiphertext: sealed.ciphertext, tokenIv: sealed.iv, tokenTag: sealed.tag, keyId: sealed.keyId };
}

/**
 * Checks the repository resources of a new session (mount paths under /workspace, none inside
 * another), gives them ids, and seals their tokens. `cipher` is asked for only when a token is
 * present (so sessions without tokens need no vault key). `index` maps each to its place in the
 * request's `resources`, for error messages (`field(index)` names it otherwise: nothing for the
 * single resource added by `POST /v1/sessions/{id}/resources`).
 *
 * A repository added to an existing session: `taken` are the mount paths its resources use
 * already (repositories and files: a repository may not be inside or around either), and
 * `firstPosition` the position after its last repository row.
 */
export function prepareSessionRepositories(
  inputs: ReadonlyArray<{ index: number; resource: TRepositoryResourceInput }>,
  options: {
    sessionId: string;
    cipher: () => VaultCipher;
    now?: Date;
    taken?: ReadonlyArray<{ mountPath: string; kind: "file" | "github_repository" }>;
    firstPosition?: number;
    field?: (index: number) => string;
  },
): TPreparedRepositories {
  const at = (options.now ?? new Date()).toISOString();
  const wire: TWireRepositoryResource[] = [];
  const rows: TNewSessionRepository[] = [];
  const field = options.field ?? ((index: number) => `resources[${index}]`);
  for (const [offset, { index, resource }] of inputs.entries()) {
    const position = (options.firstPosition ?? 0) + offset;
    const mountField = field(index) ? `${field(index)}.mount_path` : "mount_path";
    const mount = repositoryMountPath(resource.url, resource.mount_path);
    if ("error" in mount) throw new AppError("invalid_request", `${mountField}: ${mount.error}`, { path: mountField });
    const clash = [...(options.taken ?? []), ...wire.map((w) => ({ mountPath: w.mount_path, kind: "github_repository" as const }))].find((t) => mountPathsOverlap(t.mountPath, mount.path));
    if (clash) {
      const what = clash.kind === "file" ? "a file of the session" : "another repository";
      throw new AppError("invalid_request", `${mountField}: ${mount.path} overlaps ${clash.mountPath}, used by ${what}`, { path: mountField });
    }
    const id = newResourceId();
    const sealed = resource.authorization_token ? options.cipher().encrypt(resource.authorization_token, aad(options.sessionId, id)) : null;
    wire.push({
      type: "github_repository",
      id,
      url: resource.url,
      mount_path: mount.path,
      ...(resource.checkout ? { checkout: resource.checkout } : {}),
      created_at: at,
      updated_at: at,
    });
    rows.push({
      id,
      position,
      url: resource.url,
      mountPath: mount.path,
      checkout: resource.checkout ?? null,
      tokenCiphertext: sealed?.ciphertext ?? null,
      tokenIv: sealed?.iv ?? null,
      tokenTag: sealed?.tag ?? null,
      keyId: sealed?.keyId ?? null,
    });
  }
  return { wire, rows };
}

/**
 * The session's repositories as the sandbox provider clones them, in the order they were given,
 * tokens decrypted. For the code that provisions sandboxes only: never for a response, log or
 * event (put the tokens among the secrets the harness redacts). A token that does not decrypt (tampered row, key no longer configured) is an error naming
 * the session and resource, not a silent clone without it. Mount paths are checked again on the
 * way out, so a row changed in the database cannot point a clone outside /workspace.
 */
export async function loadSessionRepositories(
  prisma: PrismaClient,
  cipher: VaultCipher | (() => VaultCipher),
  sessionId: string,
): Promise<RepositoryCheckout[]> {
  const rows = await prisma.sessionRepository.findMany({ where: { sessionId }, orderBy: { position: "asc" } });
  // asked for only when a token is there: repositories without tokens need no vault key
  const open = () => (typeof cipher === "function" ? cipher() : cipher);
  return rows.map((row) => {
    const mount = repositoryMountPath(row.url, row.mountPath);
    if ("error" in mount) throw new Error(`repository ${row.id} of session ${sessionId}: mount path ${mount.error}`);
    const repo: RepositoryCheckout = { url: row.url, mountPath: mount.path };
    const checkout = row.checkout as RepositoryCheckout["checkout"] | null;
    if (checkout) repo.checkout = checkout;
    if (row.tokenCiphertext && row.tokenIv && row.tokenTag && row.keyId) {
      repo.token = open().decrypt({ ciphertext: row.tokenCiphertext, iv: row.tokenIv, tag: row.tokenTag, keyId: row.keyId }, aad(sessionId, row.id));
    }
    return repo;
  });
}
