import { notFound } from "next/navigation";
import { AppError } from "@/lib/errors";

/**
 * The object a lookup finds, or Next's not-found page (HTTP 404 when nothing has streamed yet) for
 * an `AppError("not_found")`: the same answer for an unknown id, a malformed one and another team's.
 * Other errors propagate.
 */
export async function orNotFound<T>(lookup: Promise<T>): Promise<T> {
  try {
    return await lookup;
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
}
