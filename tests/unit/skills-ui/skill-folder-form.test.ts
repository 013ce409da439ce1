import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { receiveSkillUpload } from "@/lib/skills/receive-skill-upload";
import { skillFolderOf } from "@/lib/skills/skill-folder";
import { skillUploadOf, skillUploadRefusal, type TSkillUpload } from "@/lib/skills/ui/skill-folder-form";

// The upload form's folder, as a server action receives it (files by base name, their paths beside
// them), turned into the API's multipart body and read back by the API's own parser.

const SKILL_MD = "---\nname: greeter\ndescription: Says hello.\n---\nSay hello.\n";

function submitted(files: { path: string; content: string }[], extra: Record<string, string> = {}): FormData {
  const form = new FormData();
  for (const f of files) form.append("files", new File([f.content], f.path.split("/").at(-1)!));
  form.append("paths", JSON.stringify(files.map((f) => f.path)));
  for (const [k, v] of Object.entries(extra)) form.append(k, v);
  return form;
}

async function readBack(upload: TSkillUpload, allowedFields: string[] = ["display_name"]) {
  return receiveSkillUpload({ ...upload, maxBytes: 1_000_000, allowedFields });
}

describe("skillUploadOf", () => {
  it("sends every file under its path in the folder, and the display name for a new skill", async () => {
    const upload = skillUploadOf(submitted([{ path: "greeter/SKILL.md", content: SKILL_MD }, { path: "greeter/scripts/hello.sh", content: "echo hi\n" }], { display_name: " Greeter " }), { displayName: true });
    if ("field" in upload) throw new Error(upload.message);
    const received = await readBack(upload);
    expect(received.fields).toEqual({ display_name: "Greeter" });
    const folder = skillFolderOf(received.parts);
    expect(folder.name).toBe("greeter");
    expect(folder.files.map((f) => [f.path, f.content.toString()])).toEqual([
      ["SKILL.md", SKILL_MD],
      ["scripts/hello.sh", "echo hi\n"],
    ]);
  });

  it("leaves the display name out of a new version, and out when blank", async () => {
    for (const displayName of [false, true]) {
      const upload = skillUploadOf(submitted([{ path: "greeter/SKILL.md", content: SKILL_MD }], { display_name: displayName ? "  " : "Ignored" }), { displayName });
      if ("field" in upload) throw new Error(upload.message);
      expect((await readBack(upload, [])).fields).toEqual({});
    }
  });

  it("refuses an empty picker, an unreadable path list, files and paths that do not match, a long display name", () => {
    const empty = new FormData();
    empty.append("files", new File([], ""));
    empty.append("paths", "[]");
    expect(skillUploadOf(empty, { displayName: true })).toEqual({ field: "files", message: "Choose the skill's folder (it holds SKILL.md)." });
    const garbled = submitted([{ path: "greeter/SKILL.md", content: SKILL_MD }]);
    garbled.set("paths", "{not json");
    expect(skillUploadOf(garbled, { displayName: true })).toMatchObject({ field: "files" });
    const short = submitted([{ path: "greeter/SKILL.md", content: SKILL_MD }]);
    short.set("paths", JSON.stringify(["greeter/SKILL.md", "greeter/extra.md"]));
    expect(skillUploadOf(short, { displayName: true })).toMatchObject({ field: "files", message: expect.stringContaining("did not all arrive") });
    expect(skillUploadOf(submitted([{ path: "greeter/SKILL.md", content: SKILL_MD }], { display_name: "x".repeat(256) }), { displayName: true })).toEqual({
      field: "display_name",
      message: "At most 255 characters.",
    });
  });

  it("passes a bad path on for the API to refuse, as it would refuse it from any client", async () => {
    const upload = skillUploadOf(submitted([{ path: "greeter/../SKILL.md", content: SKILL_MD }]), { displayName: true });
    if ("field" in upload) throw new Error(upload.message);
    const received = await readBack(upload);
    expect(() => skillFolderOf(received.parts)).toThrow(/files\[0\]: .*contains "\.\."/);
  });
});

describe("skillUploadRefusal", () => {
  it("puts the display name's refusal by it and every other refusal by the folder picker", () => {
    expect(skillUploadRefusal(new AppError("invalid_request", "display_name: longer than 255 characters"))).toEqual({ field: "display_name", message: "longer than 255 characters" });
    expect(skillUploadRefusal(new AppError("invalid_request", "files: no SKILL.md at the top of the folder"))).toEqual({ field: "files", message: "no SKILL.md at the top of the folder" });
    expect(skillUploadRefusal(new AppError("conflict", 'name: the team already has a skill named "greeter"'))).toMatchObject({ field: "files", message: expect.stringMatching(/^name: /) });
    expect(skillUploadRefusal(new AppError("not_found", "skill not found"))).toBeNull();
    expect(skillUploadRefusal(new Error("boom"))).toBeNull();
  });
});
