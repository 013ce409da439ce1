import { describe, expect, it } from "vitest";
import { checkRepositoryUrl, mountPathsOverlap, repositoryMountPath } from "@/lib/sandbox/git";

describe("repositoryMountPath", () => {
  it("defaults to /workspace/<repository name>", () => {
    expect(repositoryMountPath("https://github.com/acme/widgets")).toEqual({ path: "/workspace/widgets" });
    expect(repositoryMountPath("https://github.com/acme/widgets.git")).toEqual({ path: "/workspace/widgets" });
    expect(repositoryMountPath("https://github.com/acme/widgets/")).toEqual({ path: "/workspace/widgets" });
  });

  it("takes absolute or workspace-relative mount paths, normalized", () => {
    expect(repositoryMountPath("https://github.com/a/b", "/workspace/src/b")).toEqual({ path: "/workspace/src/b" });
    expect(repositoryMountPath("https://github.com/a/b", "src/./x/../b")).toEqual({ path: "/workspace/src/b" });
  });

  it("refuses paths outside /workspace, the workspace itself, and URLs without a name", () => {
    for (const bad of ["/etc", "/workspace", "/workspace/..", "../x", "/workspacex/y", "", "a\0b"]) {
      expect(repositoryMountPath("https://github.com/a/b", bad), bad).toHaveProperty("error");
    }
    expect(repositoryMountPath("https://github.com/")).toHaveProperty("error");
  });

  it("tells overlapping mount paths apart from siblings", () => {
    expect(mountPathsOverlap("/workspace/a", "/workspace/a")).toBe(true);
    expect(mountPathsOverlap("/workspace/a", "/workspace/a/b")).toBe(true);
    expect(mountPathsOverlap("/workspace/a/b", "/workspace/a")).toBe(true);
    expect(mountPathsOverlap("/workspace/a", "/workspace/ab")).toBe(false);
  });
});

describe("checkRepositoryUrl", () => {
  it("accepts http(s) URLs without credentials", () => {
    expect(checkRepositoryUrl("https://github.com/acme/widgets.git")).toBeNull();
    expect(checkRepositoryUrl("http://git.internal:8080/acme/widgets")).toBeNull();
  });

  it("refuses credentials and other schemes without repeating the URL", () => {
    const secret = "ghp_supersecretvalue";
    const problem = checkRepositoryUrl(`https://x-access-token:${secret}@github.com/acme/w`);
    expect(problem).toMatch(/credentials/);
    expect(problem).not.toContain(secret);
    expect(checkRepositoryUrl(`https://${secret}@github.com/acme/w`)).toMatch(/credentials/);
    for (const url of ["file:///srv/repo", "ssh://git@github.com/a/b", "ext::sh -c id", "git://github.com/a/b", "not a url"]) {
      expect(checkRepositoryUrl(url), url).not.toBeNull();
    }
  });
});
