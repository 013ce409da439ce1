import { describe, expect, it } from "vitest";
import { parseSkillMd, skillFolderOf, skillPath, ustarSplit } from "@/lib/skills/skill-folder";
import { skillFilesOf, skillsPrompt, withSkillsPrompt } from "@/lib/harness/skills-prompt";
import { parseAgentConfig } from "@/lib/harness/agent-config";

const md = (front: string, body = "Do it.\n") => Buffer.from(`---\n${front}\n---\n${body}`);
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("not refused");
};

describe("SKILL.md front matter", () => {
  it("reads name and description, quoted or not, with CRLF lines and other keys around", () => {
    expect(parseSkillMd("---\nname: pdf-report\ndescription: Builds PDF reports from tables.\nlicense: MIT\n---\n# PDF\n")).toEqual({
      name: "pdf-report",
      description: "Builds PDF reports from tables.",
    });
    expect(parseSkillMd("---\r\nname: \"csv\"\r\ndescription: 'Reads: CSV files'\r\n---\r\n")).toEqual({ name: "csv", description: "Reads: CSV files" });
  });

  it("refuses a missing block, a missing or malformed name, a missing or over-long description, naming the field", () => {
    expect(refusal(() => parseSkillMd("# no front matter\n"))).toMatch(/^files: SKILL.md must begin with a front matter block/);
    expect(refusal(() => parseSkillMd("---\ndescription: x\n---\n"))).toMatch(/^name: /);
    expect(refusal(() => parseSkillMd("---\nname: Not A Slug\ndescription: x\n---\n"))).toMatch(/^name: "Not A Slug" must be lowercase/);
    expect(refusal(() => parseSkillMd(`---\nname: ${"a".repeat(65)}\ndescription: x\n---\n`))).toBe("name: longer than 64 characters");
    expect(refusal(() => parseSkillMd("---\nname: ok\n---\n"))).toMatch(/^description: /);
    expect(refusal(() => parseSkillMd(`---\nname: ok\ndescription: ${"d".repeat(1025)}\n---\n`))).toBe("description: longer than 1024 characters");
  });
});

describe("a skill folder's paths", () => {
  it("splits the top-level folder from the path inside it", () => {
    expect(skillPath("my-skill/scripts/run.sh", 0)).toEqual({ folder: "my-skill", path: "scripts/run.sh" });
  });

  it.each([
    [undefined, /^files\[3\]: the part has no filename/],
    ["../evil/SKILL.md", /^files\[3\]: .* contains "\.\."/],
    ["my-skill/../../etc/passwd", /^files\[3\]: .* contains "\.\."/],
    ["/etc/my-skill/SKILL.md", /^files\[3\]: .* is absolute/],
    ["C:/my-skill/SKILL.md", /^files\[3\]: .* is absolute/],
    ["my-skill/a\u0000b", /^files\[3\]: the path contains a NUL/],
    ["my-skill\\SKILL.md", /^files\[3\]: use \//],
    ["my-skill//SKILL.md", /^files\[3\]: .* empty or "\." component/],
    ["SKILL.md", /^files\[3\]: .* is not inside a folder/],
    [`my-skill/${"x".repeat(300)}`, /^files\[3\]: path longer than 255 bytes/],
    [`my-skill/${"x".repeat(120)}`, /^files\[3\]: .* cannot be archived \(tar\)/],
  ])("refuses %j", (filename, message) => {
    expect(refusal(() => skillPath(filename, 3))).toMatch(message);
  });
});

describe("tar headers", () => {
  it("split a long path between prefix and name at a /, or not at all", () => {
    expect(ustarSplit("a/SKILL.md")).toEqual({ prefix: "", name: "a/SKILL.md" });
    const deep = `a/${"d".repeat(90)}/${"e".repeat(90)}`;
    expect(ustarSplit(deep)).toEqual({ prefix: `a/${"d".repeat(90)}`, name: "e".repeat(90) });
    expect(ustarSplit(`a/${"x".repeat(101)}`)).toBeNull();
  });
});

describe("a skill folder", () => {
  it("is one top-level folder with SKILL.md at its top; its size is its files'", () => {
    const folder = skillFolderOf([
      { filename: "report/SKILL.md", content: md("name: report\ndescription: Writes reports") },
      { filename: "report/scripts/run.sh", content: Buffer.from("echo hi\n") },
    ]);
    expect(folder.name).toBe("report");
    expect(folder.description).toBe("Writes reports");
    expect(folder.files.map((f) => f.path)).toEqual(["SKILL.md", "scripts/run.sh"]);
    expect(folder.sizeBytes).toBe(folder.files[0]!.content.length + 8);
  });

  it("refuses no files, no SKILL.md (also one deeper down), two folders and a path twice", () => {
    expect(refusal(() => skillFolderOf([]))).toMatch(/^files: no files/);
    expect(refusal(() => skillFolderOf([{ filename: "x/docs/SKILL.md", content: md("name: x\ndescription: y") }]))).toMatch(/^files: no SKILL.md at the top of the folder \(expected "x\/SKILL.md"\)/);
    expect(
      refusal(() => skillFolderOf([{ filename: "a/SKILL.md", content: md("name: a\ndescription: y") }, { filename: "b/run.sh", content: Buffer.from("") }])),
    ).toMatch(/^files\[1\]: every file must be in the same top-level folder/);
    expect(
      refusal(() => skillFolderOf([{ filename: "a/SKILL.md", content: md("name: a\ndescription: y") }, { filename: "a/SKILL.md", content: Buffer.from("") }])),
    ).toMatch(/^files\[1\]: "a\/SKILL.md" given twice/);
    expect(refusal(() => skillFolderOf([{ filename: "a/SKILL.md", content: Buffer.from([0xff, 0xfe, 0x00]) }]))).toBe("files: SKILL.md is not UTF-8 text");
  });
});

describe("skills in a session", () => {
  const skills = [{ name: "report", description: "Writes reports", files: [{ path: "SKILL.md", content: Buffer.from("x") }, { path: "bin/run.sh", content: Buffer.from("y") }] }];

  it("are listed in the system prompt after the agent's own, with where their SKILL.md is", () => {
    const agent = withSkillsPrompt(parseAgentConfig({ model: "m", system: "Be brief." }), skills);
    expect(agent.system).toMatch(/^Be brief\.\n\n# Skills\n/);
    expect(agent.system).toContain("- report: Writes reports (/workspace/.skills/report/SKILL.md)");
    expect(skillsPrompt([])).toBeNull();
    expect(withSkillsPrompt(parseAgentConfig({ model: "m" }), []).system).toBeNull();
  });

  it("are written under /workspace/.skills/<name>/", () => {
    expect(skillFilesOf(skills).map((f) => f.path)).toEqual(["/workspace/.skills/report/SKILL.md", "/workspace/.skills/report/bin/run.sh"]);
  });
});
