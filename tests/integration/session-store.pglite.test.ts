import { describePrismaSessionStore, describeRestartAfterKill } from "./session-store.prisma-suite";

describePrismaSessionStore("pglite");
describeRestartAfterKill("pglite-dir");
