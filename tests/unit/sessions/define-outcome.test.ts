import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { validateClientEvents } from "@/lib/sessions/validate-client-events";
import { isId } from "@/lib/ids";

const define = (fields: Record<string, unknown> = {}) => ({
  type: "user.define_outcome",
  description: "Write a haiku.",
  rubric: { type: "text", content: "Three lines." },
  ...fields,
});

function refusal(events: unknown[]): string {
  try {
    validateClientEvents(events);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("invalid_request");
    return (error as AppError).message;
  }
  throw new Error("accepted");
}

describe("user.define_outcome from a client", () => {
  it("is stored with a new outc_ id and max_iterations (3 when unsaid)", () => {
    const [stored] = validateClientEvents([define()]);
    expect(stored).toMatchObject({ type: "user.define_outcome", description: "Write a haiku.", rubric: { type: "text", content: "Three lines." }, max_iterations: 3 });
    expect(isId("outcome", (stored as { outcome_id: string }).outcome_id)).toBe(true);
    expect(validateClientEvents([define({ max_iterations: 20 })])[0]).toMatchObject({ max_iterations: 20 });
    expect(validateClientEvents([define({ max_iterations: null })])[0]).toMatchObject({ max_iterations: 3 });
  });

  it("is refused with a 400 naming the field", () => {
    expect(refusal([define({ rubric: { type: "text", content: "   " } })])).toMatch(/^events\[0\]\.rubric\.content: must not be empty/);
    expect(refusal([{ type: "user.message", content: [{ type: "text", text: "hi" }] }, define({ description: "" })])).toMatch(/^events\[1\]\.description: /);
    expect(refusal([define({ max_iterations: 21 })])).toMatch(/^events\[0\]\.max_iterations: /);
    expect(refusal([define({ max_iterations: 0 })])).toMatch(/^events\[0\]\.max_iterations: /);
    expect(refusal([define({ rubric: undefined })])).toMatch(/^events\[0\]\.rubric: /);
    expect(refusal([define({ rubric: { type: "file", file_id: "file_1" } })])).toMatch(/^events\[0\]\.rubric\.type: file rubrics are not supported/);
    expect(refusal([define({ outcome_id: "outc_mine" })])).toMatch(/^events\[0\]: unknown field "outcome_id"/);
  });
});
