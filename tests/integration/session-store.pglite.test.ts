import { describePrismaSessionStore, describeRestartAfterKill } from "./session-store.prisma-suite";

describePrismaSessionStore("pglite", "driver");
describePrismaSessionStore("pglite", "prisma");
describeRestartAfterKill("pglite-dir");
