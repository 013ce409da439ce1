import { describe, expect, it } from "vitest";
import { z } from "zod";
import { agentFieldKeyLength } from "@/lib/agents/ui/agent-form";
import { issueFieldErrors, withFormField } from "@/lib/agents/ui/form-field-errors";
import { AppError } from "@/lib/errors";

describe("form errors, field by field", () => {
  it("keeps the first message of each field and says where inside the field the problem is", () => {
    const schema = z.object({
      name: z.string().min(1, "Give the agent a name").min(3, "too short"),
      custom: z.array(z.object({ input_schema: z.object({ type: z.literal("object", { error: 'must be "object"' }) }) })),
    });
    const result = schema.safeParse({ name: "", custom: [{ input_schema: { type: "object" } }, { input_schema: { type: "string" } }] });
    expect(issueFieldErrors(result.error!, agentFieldKeyLength)).toEqual({
      name: "Give the agent a name",
      "custom.1.input_schema": 'input_schema.type: must be "object"',
    });
  });

  it("turns a use-case error about an API path into an error about the form's field", () => {
    const error = new AppError("invalid_request", 'tools[2].input_schema.type: must be "object"', { path: "tools[2].input_schema.type" });
    const mapped = withFormField(error, (path) => (path.startsWith("tools[2].input_schema") ? { field: "custom.0.input_schema", inner: path.slice("tools[2].input_schema".length) } : null));
    expect(mapped).toBeInstanceOf(AppError);
    expect((mapped as AppError).message).toBe('input_schema.type: must be "object"');
    expect((mapped as AppError).details).toMatchObject({ field: "custom.0.input_schema", path: "tools[2].input_schema.type" });
    expect((mapped as AppError).code).toBe("invalid_request");
  });

  it("leaves errors it cannot place as they are", () => {
    const unplaced = new AppError("invalid_request", "metadata: at most 16 keys", { path: "metadata" });
    expect(withFormField(unplaced, () => null)).toBe(unplaced);
    const plain = new Error("boom");
    expect(withFormField(plain, () => ({ field: "name", inner: "" }))).toBe(plain);
  });
});
