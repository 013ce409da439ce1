import { startAppServer } from "@/tests/fixtures/app-server";
import { openDatabase } from "@/lib/db/open-database";
import { createShareLink } from "@/lib/share/create-share-link";
const app = await startAppServer({ database: "postgres" });
const h = { authorization: `Bearer ${app.apiKey}`, "content-type": "application/json", "anthropic-beta": "managed-agents-2026-04-01" };
const post = async (path: string, body: unknown) => (await (await fetch(app.url + path, { method: "POST", headers: h, body: JSON.stringify(body) })).json()) as any;
const agent = await post("/v1/agents", { name: "a", model: "claude-sonnet-4-5", tools: [] });
const env = await post("/v1/environments", { name: "e" });
const session = await post("/v1/sessions", { agent: agent.id, environment_id: env.id });
await post(`/v1/sessions/${session.id}/events`, { events: [{ type: "user.message", content: [{ type: "text", text: "hi" }] }] });
await new Promise((r) => setTimeout(r, 1500));
const viaApi = await post(`/v1/sessions/${session.id}/share_links`, {});
console.log("api share link", JSON.stringify(viaApi).slice(0, 200));
const db = await openDatabase({ kind: "postgres", url: app.databaseUrl!, poolSize: 2 } as any, { migrate: false } as any);
const { teamId } = await db.prisma.session.findUniqueOrThrow({ where: { id: session.id }, select: { teamId: true } });
const { PrismaSessionStore } = await import("@/lib/event-log/prisma/prisma-session-store");
const store = new PrismaSessionStore(db.prisma, db.sql);
const batch = Array.from({ length: 500 }, (_, i) => ({ type: "agent.message", content: [{ type: "text", text: `filler ${i} `.repeat(20) }] }));
for (let n = 0; n < 10_000; n += 500) await store.appendEvents(session.id, batch);
const direct = await createShareLink({ prisma: db.prisma } as any, { teamId, sessionId: session.id, createdBy: null });
for (const path of [viaApi.path ?? new URL(viaApi.url).pathname, direct.path]) {
  const r = await fetch(app.url + path);
  console.log(path.slice(0, 30), r.status);
}
console.log(app.output().slice(-3000));
await db.close(); await app.stop(); process.exit(0);
