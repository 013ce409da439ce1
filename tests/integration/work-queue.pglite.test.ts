import { describePrismaWorkQueue } from "./work-queue.prisma-suite";

describePrismaWorkQueue("pglite");
