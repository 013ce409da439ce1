import { describe, expect, it } from "vitest";
import { classifyGitFailure } from "@/lib/sandbox/git/classify-git-failure";
import { gitEnvironment } from "@/lib/sandbox/git/git-environment";

const URL = "https://github.com/acme/widgets.git";
const TOKEN = "ghp_0123456789abcdefABCDEF";
const BASIC = Buffer.from(`x-access-token:${TOKEN}`).toString("base64");

describe("classifyGitFailure", () => {
  const classify = (stderr: string, step: "clone" | "checkout" = "clone") => classifyGitFailure({ url: URL, token: TOKEN, stderr, step });

  it("maps git's http errors to the repository error names", () => {
    expect(classify(`remote: Invalid username or password.\nfatal: Authentication failed for '${URL}/'\n`).code).toBe("repository_authentication_error");
    expect(classify(`fatal: could not read Username for 'https://github.com': terminal prompts disabled\n`).code).toBe("repository_authentication_error");
    expect(classify(`fatal: unable to access '${URL}/': The requested URL returned error: 403\n`).code).toBe("repository_forbidden_error");
    expect(classify(`remote: Repository not found.\nfatal: repository '${URL}/' not found\n`).code).toBe("repository_not_found_error");
    expect(classify("warning: Could not find remote branch nope to clone.\nfatal: Remote branch nope not found in upstream origin\n").code).toBe("repository_checkout_error");
    expect(classify("fatal: reference is not a tree: 0123abc\n", "checkout").code).toBe("repository_checkout_error");
    expect(classify(`fatal: unable to access '${URL}/': The requested URL returned error: 301\n`).message).toMatch(/redirect/);
    expect(classify("fatal: early EOF\n").code).toBe("repository_clone_error");
  });

  it("names the repository and keeps git's reason, with the token redacted in any form", () => {
    const error = classify(`fatal: unable to access '${URL}/': header Authorization: Basic ${BASIC} rejected, token ${TOKEN}\n`);
    expect(error.message).toContain("repository_clone_error");
    expect(error.message).toContain(URL);
    expect(error.message).toContain("[redacted]");
    expect(error.message).not.toContain(TOKEN);
    expect(error.message).not.toContain(BASIC.slice(4, -4));
    expect(error.repositoryUrl).toBe(URL);
  });
});

describe("gitEnvironment", () => {
  it("passes the token as configuration scoped to the repository's origin, and nothing of the host", () => {
    const env = gitEnvironment(URL, TOKEN);
    const count = Number(env.GIT_CONFIG_COUNT);
    const config = Object.fromEntries(Array.from({ length: count }, (_, i) => [env[`GIT_CONFIG_KEY_${i}`], env[`GIT_CONFIG_VALUE_${i}`]]));
    expect(config["http.https://github.com/.extraHeader"]).toBe(`Authorization: Basic ${BASIC}`);
    expect(config["http.followRedirects"]).toBe("false");
    expect(config["credential.helper"]).toBe("");
    expect(env).toMatchObject({ GIT_TERMINAL_PROMPT: "0", GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", GIT_ALLOW_PROTOCOL: "http:https" });
    // the token is in exactly one value, and only base64-encoded inside the header
    expect(Object.values(env).filter((v) => v.includes(BASIC))).toHaveLength(1);
    expect(Object.values(env).some((v) => v.includes(TOKEN))).toBe(false);
    expect(Object.keys(env).every((k) => k === "PATH" || k === "HOME" || k === "LC_ALL" || k.endsWith("ASKPASS") || k.startsWith("GIT_"))).toBe(true);
  });

  it("sends no header without a token", () => {
    const env = gitEnvironment(URL, undefined);
    expect(Object.values(env).some((v) => /authorization/i.test(v))).toBe(false);
  });
});
