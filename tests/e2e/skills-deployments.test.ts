import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Browser, type Page } from "@playwright/test";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { launchChromium, screenshotter, WAIT_MS } from "@/tests/fixtures/browser";
import { apiClient } from "./api-client";
import { waitForFieldError } from "./field-errors";
import type { TTeam } from "./pages/app-page";
import { ApiKeysPage } from "./pages/api-keys-page";
import { DeploymentPage } from "./pages/deployment-page";
import { DeploymentsPage } from "./pages/deployments-page";
import { NewDeploymentPage } from "./pages/new-deployment-page";
import { SessionPage } from "./pages/session-page";
import { SkillPage } from "./pages/skill-page";
import { SkillsPage } from "./pages/skills-page";
import { TeamOverviewPage } from "./pages/team-overview-page";
import { signUp } from "./sign-up";

// Skills and deployments in Debian's Chromium against the real server (the built-in demo model):
// upload a skill's folder through the folder picker (a folder without front matter refused next to
// the picker), see it listed with its SKILL.md, upload a second version and delete the first, delete
// the skill; a deployment created through the API is listed with its schedule, Run now starts a run
// whose session link opens the session, Pause pauses it; a deployment made in the browser (a bad
// cron expression refused next to its field).

const GRACE = { name: "Grace Hopper", email: "grace-skills@example.com", password: "correct-horse-battery", team: "grace-hopper" };
const screenshot = screenshotter("skills-deployments");

/** Writes a skill folder `<root>/<name>/` with the given files and returns its path. */
function skillFolder(root: string, name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

describe("skills and deployments in the web app", () => {
  let app: AppServer;
  let browser: Browser;
  let page: Page;
  let team: TTeam;
  let apiKey: string;
  let tmp: string;
  let skillId: string;
  const api = apiClient(() => ({ baseUrl: app.url, apiKey }));

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "skills-e2e-"));
    app = await startAppServer(); // the built-in demo model answers
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    team = await signUp(page, app, GRACE);
    const keys = new ApiKeysPage(page, team);
    await keys.goto();
    apiKey = await keys.createKey("deployments check");
  }, 300_000);
  afterEach((context) => {
    if (context.task.result?.state === "fail") console.error(`server output (last 4,000 characters):\n${app.output().slice(-4_000)}`);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("uploads a skill's folder from the browser, refusing one without front matter next to the picker", async () => {
    const skills = new SkillsPage(page, team);
    await new TeamOverviewPage(page, team).openFromNav("Skills");
    await skills.noSkills.waitFor({ timeout: WAIT_MS });
    expect(await skills.navLink("Skills").getAttribute("aria-current")).toBe("page");

    await skills.upload(skillFolder(path.join(tmp, "bad"), "notes", { "SKILL.md": "no front matter here\n" }));
    expect(await waitForFieldError(skills.folder, "front matter")).toContain("SKILL.md must begin with a front matter block");

    const v1 = skillFolder(path.join(tmp, "v1"), "release-notes", {
      "SKILL.md": "---\nname: release-notes\ndescription: Writes release notes from a changelog.\n---\n\n# Release notes\nRun scripts/collect.sh first.\n",
      "scripts/collect.sh": "#!/bin/sh\ngit log --oneline\n",
    });
    await skills.upload(v1, "Release notes");
    skillId = await skills.waitForUploaded();
    const skill = new SkillPage(page, team, skillId);
    expect(await skill.skillMd.innerText()).toContain("Run scripts/collect.sh first.");
    expect((await skill.files.innerText()).split(", ").sort()).toEqual(["SKILL.md", "scripts/collect.sh"]);
    const stored = (await api("GET", `/v1/skills/${skillId}/versions/latest`)) as { name: string; description: string };
    expect(stored).toMatchObject({ name: "release-notes", description: "Writes release notes from a changelog." });

    await skills.goto();
    await expect.poll(() => skills.rows.count(), { timeout: WAIT_MS }).toBe(1);
    const row = await skills.rows.first().innerText();
    expect(row).toContain("Release notes");
    expect(row).toContain("release-notes");
    expect(row).toContain("Writes release notes from a changelog.");
    await screenshot(page, "skills");
  });

  it("uploads a new version, deletes the older one, then deletes the skill", async () => {
    const skill = new SkillPage(page, team, skillId);
    await skill.goto();
    const first = (await api("GET", `/v1/skills/${skillId}`)) as { latest_version_id: string };
    await skill.uploadVersion(
      skillFolder(path.join(tmp, "v2"), "release-notes", { "SKILL.md": "---\nname: release-notes\ndescription: Writes release notes, grouped by area.\n---\n\nGroup by area.\n" }),
    );
    await skill.versionUploaded.waitFor({ timeout: WAIT_MS });
    await expect.poll(() => skill.versions.count(), { timeout: WAIT_MS }).toBe(2);
    expect(await skill.skillMd.innerText()).toContain("Group by area.");
    await screenshot(page, "skill");

    await skill.deleteVersion(first.latest_version_id);
    await expect.poll(() => skill.versions.count(), { timeout: WAIT_MS }).toBe(1);
    const versions = (await api("GET", `/v1/skills/${skillId}/versions`)) as { data: { description: string }[] };
    expect(versions.data.map((v) => v.description)).toEqual(["Writes release notes, grouped by area."]);

    await skill.deleteSkill("Release notes");
    await new SkillsPage(page, team).noSkills.waitFor({ timeout: WAIT_MS });
  });

  it("lists a deployment made through the API; Run now opens a session, Pause pauses it", async () => {
    const agent = (await api("POST", "/v1/agents", { name: "Reporter", model: "claude-sonnet-4-5" })) as { id: string };
    const environment = (await api("POST", "/v1/environments", { name: "Nightly" })) as { id: string };
    const deployment = (await api("POST", "/v1/deployments", {
      name: "Weekly report",
      agent: agent.id,
      environment_id: environment.id,
      initial_events: [{ type: "user.message", content: [{ type: "text", text: "Write the weekly report." }] }],
      schedule: { type: "cron", expression: "0 9 * * 1", timezone: "Europe/Paris" },
    })) as { id: string };

    const list = new DeploymentsPage(page, team);
    await new TeamOverviewPage(page, team).openFromNav("Deployments");
    await expect.poll(() => list.rows.count(), { timeout: WAIT_MS }).toBe(1);
    const row = await list.rows.first().innerText();
    for (const text of ["Weekly report", "Reporter", "Nightly", "0 9 * * 1 (Europe/Paris)", "Active"]) expect(row).toContain(text);
    await screenshot(page, "deployments");

    await list.open("Weekly report");
    const details = new DeploymentPage(page, team, deployment.id);
    await page.waitForURL(new RegExp(`/deployments/${deployment.id}$`), { timeout: WAIT_MS });
    await details.runNow();
    await details.sessionLinks.first().waitFor({ timeout: WAIT_MS });
    expect(await details.runs.first().innerText()).toContain("Manual");
    await screenshot(page, "deployment");

    await details.pause();
    await details.unpauseButton.waitFor({ timeout: WAIT_MS });
    await details.status("Paused").waitFor({ timeout: WAIT_MS });
    expect(((await api("GET", `/v1/deployments/${deployment.id}`)) as { status: string }).status).toBe("paused");

    const sessionId = (await details.sessionLinks.first().innerText()).trim();
    await details.sessionLinks.first().click();
    await page.waitForURL(new RegExp(`/sessions/${sessionId}$`), { timeout: WAIT_MS });
    await new SessionPage(page, team).title.waitFor({ timeout: WAIT_MS });
  });

  it("creates a deployment in the browser, refusing a bad schedule next to its field", async () => {
    const form = new NewDeploymentPage(page, team);
    await form.goto();
    await form.create({ name: "Daily digest", message: "Summarise yesterday.", schedule: "every morning", timezone: "Europe/Paris" });
    expect(await waitForFieldError(form.schedule, /.+/)).not.toBe("");
    await form.create({ name: "Daily digest", message: "Summarise yesterday.", schedule: "30 7 * * *", timezone: "Europe/Paris" });
    const id = await form.waitForCreated();
    const created = (await api("GET", `/v1/deployments/${id}`)) as { schedule: { expression: string; timezone: string }; initial_events: unknown[] };
    expect(created.schedule).toMatchObject({ expression: "30 7 * * *", timezone: "Europe/Paris" });
    expect(created.initial_events).toMatchObject([{ type: "user.message", content: [{ type: "text", text: "Summarise yesterday." }] }]);
    await new DeploymentPage(page, team, id).status("Active").waitFor({ timeout: WAIT_MS });
  });
});
