import { InMemorySessionStore } from "@/lib/event-log/in-memory-session-store";
import { describeSessionStoreContract } from "@/tests/contracts/session-store.contract";
import { createTestSession, IN_MEMORY_PREREQS, newSessionInput } from "@/tests/fixtures/seed";

describeSessionStoreContract("in-memory", () => {
  const store = new InMemorySessionStore();
  return { store, newSession: () => createTestSession(store, IN_MEMORY_PREREQS), sessionInput: () => newSessionInput(IN_MEMORY_PREREQS) };
});
