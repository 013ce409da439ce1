import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { newSecretToken } from "@/lib/ids";
import { InMemoryEventBus } from "@/lib/realtime/event-bus";
import { PrismaSessionStore } from "@/lib/event-log/prisma/prisma-session-store";
import { createMemoryStore } from "@/lib/memory-stores/create-memory-store";
import { createSession } from "@/lib/sessions/create-session";
import { deleteSession } from "@/lib/sessions/delete-session";
import { getSession } from "@/lib/sessions/get-session";
import { loadSessionRepositories } from "@/lib/sessions/session-repositories";
import { addSessionResource } from "@/lib/sessions/resources/add-session-resource";
import { deleteSessionResource } from "@/lib/sessions/resources/delete-session-resource";
import { listSessionResources } from "@/lib/sessions/resources/list-session-resources";
import { updateSessionResource } from "@/lib/sessions/resources/update-session-resource";
import { VaultCipher } from "@/lib/vault/cipher";
import { openTestDatabase, type TDatabaseKind, type TTestDatabase } from "@/tests/fixtures/databases";
import { requirePostgres } from "@/tests/fixtures/postgres";
import { seedSessionPrereqs, type TSessionPrereqs } from "@/tests/fixtures/seed";

/**
 * A github_repository resource's token at session creation: sealed in the database, never in the
 * session the API returns, decrypted for the sandbox provisioning only, deleted with the session.
 * On the embedded database and on PostgreSQL.
 */
const postgres = await requirePostgres("session repositories");
const kinds: TDatabaseKind[] = postgres ? ["pglite", "postgres"] : ["pglite"];

describe.each(kinds)("session repositories on %s", (kind) => {
  let test: TTestDatabase;
  let prereqs: TSessionPrereqs;
  const cipher = new VaultCipher({ current: randomBytes(32) });

  beforeAll(async () => {
    test = await openTestDatabase(kind);
    prereqs = await seedSessionPrereqs(test.db.prisma);
  });
  afterAll(async () => {
    await test?.cleanup();
  });

  const deps = () => ({ prisma: test.db.prisma, store: new PrismaSessionStore(test.db.prisma), cipher });
  const create = (resources: unknown[]) =>
    createSession(deps(), { teamId: prereqs.teamId, body: { agent: prereqs.agentId, environment_id: prereqs.environmentId, resources } });

  it("stores the token sealed, returns the resource without it, and gives it back to provisioning", async () => {
    const token = newSecretToken("ghp_");
    const store = await createMemoryStore(test.db.prisma, { teamId: prereqs.teamId, body: { name: "notes" } });
    const session = await create([
      { type: "github_repository", url: "https://github.com/acme/widgets.git", authorization_token: token, checkout: { type: "branch", name: "dev" } },
      { type: "memory_store", memory_store_id: store.id },
      { type: "github_repository", url: "https://github.com/acme/public", mount_path: "src/public" },
    ]);
    expect(JSON.stringify(session)).not.toContain(token);
    expect(session.resources).toEqual([
      expect.objectContaining({ type: "github_repository", url: "https://github.com/acme/widgets.git", mount_path: "/workspace/widgets", checkout: { type: "branch", name: "dev" } }),
      expect.objectContaining({ type: "memory_store", memory_store_id: store.id }),
      expect.objectContaining({ type: "github_repository", mount_path: "/workspace/src/public" }),
    ]);
    const first = session.resources[0] as Record<string, unknown>;
    expect(first.id).toMatch(/^sesrsc_/);
    expect(first).not.toHaveProperty("authorization_token");
    const read = await getSession({ store: new PrismaSessionStore(test.db.prisma) }, { teamId: prereqs.teamId, sessionId: session.id });
    expect(JSON.stringify(read)).not.toContain(token);

    // at rest: no plaintext anywhere in the row
    const rows = await test.db.prisma.sessionRepository.findMany({ where: { sessionId: session.id }, orderBy: { position: "asc" } });
    expect(rows).toHaveLength(2);
    expect(Buffer.from(rows[0]!.tokenCiphertext!).toString("latin1")).not.toContain(token);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[1]!.tokenCiphertext).toBeNull();

    expect(await loadSessionRepositories(test.db.prisma, cipher, session.id)).toEqual([
      { url: "https://github.com/acme/widgets.git", token, checkout: { type: "branch", name: "dev" }, mountPath: "/workspace/widgets" },
      { url: "https://github.com/acme/public", mountPath: "/workspace/src/public" },
    ]);
  });

  it("does not open a sealed token moved to another session or under another key", async () => {
    const token = newSecretToken("ghp_");
    const a = await create([{ type: "github_repository", url: "https://github.com/acme/a", authorization_token: token }]);
    const b = await create([{ type: "github_repository", url: "https://github.com/acme/b", authorization_token: newSecretToken("ghp_") }]);
    const sealed = await test.db.prisma.sessionRepository.findFirstOrThrow({ where: { sessionId: a.id } });
    await test.db.prisma.sessionRepository.updateMany({
      where: { sessionId: b.id },
      data: { tokenCiphertext: sealed.tokenCiphertext, tokenIv: sealed.tokenIv, tokenTag: sealed.tokenTag },
    });
    await expect(loadSessionRepositories(test.db.prisma, cipher, b.id)).rejects.toThrow(/failed authentication/);
    const other = new VaultCipher({ current: randomBytes(32) });
    const error = await loadSessionRepositories(test.db.prisma, other, a.id).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/not configured/);
    expect((error as Error).message).not.toContain(token);
  });

  it("refuses bad resources before writing anything, without echoing credentials", async () => {
    const before = await test.db.prisma.session.count();
    const token = newSecretToken("ghp_");
    const bad: Array<[unknown, RegExp]> = [
      [{ type: "github_repository", url: "https://github.com/acme/x", mount_path: "/etc/x" }, /resources\[0\]\.mount_path: must be a directory under \/workspace/],
      [{ type: "github_repository", url: "https://github.com/acme/x", mount_path: "../../x" }, /mount_path/],
      [{ type: "github_repository", url: "https://github.com/acme/x", mount_path: "/workspace" }, /mount_path/],
      [{ type: "github_repository", url: `https://x:${token}@github.com/acme/x` }, /must not contain credentials/],
      [{ type: "github_repository", url: "file:///etc/passwd" }, /https/],
      [{ type: "github_repository", url: "https://github.com/acme/x", authorization_token: "two words" }, /authorization_token/],
    ];
    for (const [resource, message] of bad) {
      const error = await create([resource]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).message).toMatch(message);
      expect((error as AppError).message).not.toContain(token);
    }
    const overlap = await create([
      { type: "github_repository", url: "https://github.com/acme/x", mount_path: "a" },
      { type: "github_repository", url: "https://github.com/acme/y", mount_path: "/workspace/a/y" },
    ]).catch((e: Error) => e);
    expect((overlap as Error).message).toMatch(/resources\[1\]\.mount_path: .*overlaps/);
    expect(await test.db.prisma.session.count()).toBe(before);
  });

  it("leaves no session behind when its repositories cannot be written, even with no clean-up after", async () => {
    const sql = (text: string) => test.db.prisma.$executeRawUnsafe(text);
    await sql(`CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure on %', TG_TABLE_NAME; END $$`);
    // the second write fails ...
    await sql(`CREATE TRIGGER test_refuse_repository BEFORE INSERT ON "SessionRepository" FOR EACH ROW EXECUTE FUNCTION test_refuse()`);
    // ... and nothing can delete a session afterwards, as when the process dies between the writes
    await sql(`CREATE TRIGGER test_refuse_session_delete BEFORE DELETE ON "Session" FOR EACH ROW EXECUTE FUNCTION test_refuse()`);
    try {
      const sessions = () => test.db.prisma.session.count({ where: { teamId: prereqs.teamId } });
      const before = await sessions();
      await expect(create([{ type: "github_repository", url: "https://github.com/acme/half", authorization_token: newSecretToken("ghp_") }])).rejects.toThrow(
        /injected failure on SessionRepository/,
      );
      expect(await sessions()).toBe(before);
    } finally {
      await sql(`DROP TRIGGER test_refuse_session_delete ON "Session"`);
      await sql(`DROP TRIGGER test_refuse_repository ON "SessionRepository"`);
      await sql(`DROP FUNCTION test_refuse()`);
    }
  });

  it("deletes the sealed tokens with the session", async () => {
    const session = await create([{ type: "github_repository", url: "https://github.com/acme/gone", authorization_token: newSecretToken("ghp_") }]);
    expect(await test.db.prisma.sessionRepository.count({ where: { sessionId: session.id } })).toBe(1);
    await deleteSession({ ...deps(), bus: new InMemoryEventBus() }, { teamId: prereqs.teamId, sessionId: session.id });
    expect(await test.db.prisma.sessionRepository.count({ where: { sessionId: session.id } })).toBe(0);
    expect(await loadSessionRepositories(test.db.prisma, cipher, session.id)).toEqual([]);
  });

  it("rotates a repository's token in place, deletes a repository with its sealed token and a memory store, and adds a repository after the others", async () => {
    const [oldToken, newToken] = [newSecretToken("ghp_"), newSecretToken("ghp_")];
    const store = await createMemoryStore(test.db.prisma, { teamId: prereqs.teamId, body: { name: "kept" } });
    const session = await create([
      { type: "github_repository", url: "https://github.com/acme/rotated", authorization_token: oldToken },
      { type: "github_repository", url: "https://github.com/acme/dropped", authorization_token: newSecretToken("ghp_") },
      { type: "memory_store", memory_store_id: store.id },
    ]);
    const [rotated, dropped, memory] = session.resources as Array<{ id: string; updated_at?: string }>;
    const ids = { teamId: prereqs.teamId, sessionId: session.id };
    const updated = await updateSessionResource({ prisma: test.db.prisma, cipher: () => cipher }, { ...ids, resourceId: rotated!.id, body: { authorization_token: newToken } });
    expect(updated).toEqual({ ...rotated, updated_at: expect.any(String) });
    expect(JSON.stringify(updated)).not.toContain(newToken);
    const bad = await updateSessionResource({ prisma: test.db.prisma, cipher: () => cipher }, { ...ids, resourceId: rotated!.id, body: { authorization_token: "has space" } }).catch((e: AppError) => e);
    expect((bad as AppError).message).toMatch(/^authorization_token: /);

    expect(await deleteSessionResource({ prisma: test.db.prisma }, { ...ids, resourceId: dropped!.id })).toEqual({ id: dropped!.id, type: "session_resource_deleted" });
    expect(await deleteSessionResource({ prisma: test.db.prisma }, { ...ids, resourceId: memory!.id })).toEqual({ id: memory!.id, type: "session_resource_deleted" });

    expect(await loadSessionRepositories(test.db.prisma, cipher, session.id)).toEqual([{ url: "https://github.com/acme/rotated", token: newToken, mountPath: "/workspace/rotated" }]);
    expect(await test.db.prisma.sessionRepository.count({ where: { sessionId: session.id } })).toBe(1);
    const listed = await listSessionResources({ store: new PrismaSessionStore(test.db.prisma) }, { ...ids, query: new URLSearchParams() });
    expect(listed.data.map((r) => r.id)).toEqual([rotated!.id]);

    // added to the existing session: sealed in its own row, after the others; a path inside another repository is refused
    const addedToken = newSecretToken("ghp_");
    const add = (body: unknown) => addSessionResource({ prisma: test.db.prisma, cipher: () => cipher }, { ...ids, body });
    const added = await add({ type: "github_repository", url: "https://github.com/acme/later", authorization_token: addedToken });
    expect(added).toMatchObject({ type: "github_repository", url: "https://github.com/acme/later", mount_path: "/workspace/later" });
    expect(JSON.stringify(added)).not.toContain(addedToken);
    const inside = await add({ type: "github_repository", url: "https://github.com/acme/nested", mount_path: "rotated/nested" }).catch((e: AppError) => e);
    expect([(inside as AppError).code, (inside as AppError).message]).toEqual(["invalid_request", expect.stringMatching(/^mount_path: \/workspace\/rotated\/nested overlaps \/workspace\/rotated, used by another repository/)]);
    expect(await loadSessionRepositories(test.db.prisma, cipher, session.id)).toEqual([
      { url: "https://github.com/acme/rotated", token: newToken, mountPath: "/workspace/rotated" },
      { url: "https://github.com/acme/later", token: addedToken, mountPath: "/workspace/later" },
    ]);
  });
});
