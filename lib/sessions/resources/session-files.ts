import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { isId } from "@/lib/ids";
import { mountPathsOverlap } from "@/lib/sandbox/git/repository-mount-path";
import { newResourceId } from "../session-repositories";
import { fileMountPath } from "./file-mount-path";

/** A file resource as a request gives it (session create's `resources[]`, or `POST /v1/sessions/{id}/resources`). */
export type TFileResourceInput = { type: "file"; file_id: string; mount_path?: string | null };

/** What the session keeps of a file resource and the API shows (SDK 1.17 `BetaManagedAgentsFileResource`). */
export type TWireFileResource = {
  type: "file";
  id: string;
  file_id: string;
  mount_path: string;
  created_at: string;
  updated_at: string;
};

/**
 * Checks file resources: each file is the team's (an unknown id, a malformed one or another
 * team's: 404 naming `<field>.file_id`) and not expired (400); each mount path is valid
 * (file-mount-path.ts: 400 naming `<field>.mount_path`) and is not the place of another of the
 * session's files, nor inside or around one of its repositories (`taken`). `field(i)` names the
 * i-th input in errors (`resources[2]`, or nothing for a single added resource). Reads only.
 */
export async function prepareSessionFiles(
  prisma: Pick<PrismaClient, "file">,
  options: {
    teamId: string;
    inputs: ReadonlyArray<{ field: string; resource: TFileResourceInput }>;
    /** Mount paths the session uses already: its files' and its repositories'. */
    taken?: ReadonlyArray<{ mountPath: string; kind: "file" | "github_repository" }>;
    now?: Date;
  },
): Promise<TWireFileResource[]> {
  if (options.inputs.length === 0) return [];
  const now = options.now ?? new Date();
  const ids = options.inputs.map((i) => i.resource.file_id).filter((id) => isId("file", id));
  const files = await prisma.file.findMany({ where: { id: { in: ids }, teamId: options.teamId }, select: { id: true, expiresAt: true } });
  const taken = [...(options.taken ?? [])];
  return options.inputs.map(({ field, resource }) => {
    const idPath = field ? `${field}.file_id` : "file_id";
    const mountField = field ? `${field}.mount_path` : "mount_path";
    const file = files.find((f) => f.id === resource.file_id);
    if (!file) throw new AppError("not_found", `${idPath}: file ${resource.file_id.slice(0, 128)} not found`, { path: idPath });
    if (file.expiresAt && file.expiresAt <= now) throw new AppError("invalid_request", `${idPath}: file ${file.id} has expired`, { path: idPath });
    const mount = fileMountPath(file.id, resource.mount_path);
    if ("error" in mount) throw new AppError("invalid_request", `${mountField}: ${mount.error}`, { path: mountField });
    const clash = taken.find((t) => (t.kind === "file" ? t.mountPath === mount.path : mountPathsOverlap(t.mountPath, mount.path)));
    if (clash) {
      const what = clash.kind === "file" ? "another file of the session is mounted there" : `it overlaps the repository at ${clash.mountPath}`;
      throw new AppError("invalid_request", `${mountField}: ${mount.path}: ${what}`, { path: mountField });
    }
    taken.push({ mountPath: mount.path, kind: "file" });
    const at = now.toISOString();
    return { type: "file", id: newResourceId(), file_id: file.id, mount_path: mount.path, created_at: at, updated_at: at };
  });
}
