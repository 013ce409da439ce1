import "server-only";
import { AppError } from "@/lib/errors";

/** The API's 404s for the store's objects: one answer for unknown, malformed and other teams' ids. */
export function memoryStoreNotFound(id: string): AppError {
  return new AppError("not_found", `memory store ${id.slice(0, 128)} not found`);
}
export function memoryNotFound(id: string): AppError {
  return new AppError("not_found", `memory ${id.slice(0, 128)} not found`);
}
export function memoryVersionNotFound(id: string): AppError {
  return new AppError("not_found", `memory version ${id.slice(0, 128)} not found`);
}

/** 400 for a write to an archived store (archiving is final; reads, deletes and redaction still work). */
export function memoryStoreArchived(id: string): AppError {
  return new AppError("invalid_request", `memory store ${id} is archived: its memories can be read, deleted and redacted, not created or changed`, {
    errorCode: "memory_store_archived",
  });
}

/** 409 `memory_precondition_failed_error`: the memory's content is not the one the caller last saw. Nothing was written. */
export function memoryPreconditionFailed(memoryId: string): AppError {
  return new AppError("conflict", `memory ${memoryId} has changed: its content_sha256 is not the expected one. Retrieve it and retry.`, {
    errorType: "memory_precondition_failed_error",
  });
}

/** 409 `memory_path_conflict_error`: the path is taken by, or overlaps (ancestor/descendant), another memory's. */
export function memoryPathConflict(path: string, conflicting: { id: string; path: string } | null): AppError {
  const what = conflicting ? `memory ${conflicting.id} at ${conflicting.path}` : "another memory";
  return new AppError("conflict", `path ${path} conflicts with ${what}: paths in a store are unique and none is inside another`, {
    errorType: "memory_path_conflict_error",
    errorFields: { conflicting_path: conflicting?.path ?? path, conflicting_memory_id: conflicting?.id ?? "" },
  });
}
