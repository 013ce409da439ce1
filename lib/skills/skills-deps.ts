import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";

/** What the skill upload use-cases need: the database and the largest version accepted (SKILLS_MAX_BYTES). */
export type TSkillsDeps = { prisma: PrismaClient; maxBytes: number };

/** A version's files as stored in `SkillVersion.files`: paths in the skill's folder, content base64. */
export type TStoredSkillFile = { path: string; content: string };
