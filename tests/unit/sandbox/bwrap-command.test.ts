import { describe, expect, it } from "vitest";
import { buildSandboxArgv, generatedEtcFiles } from "@/lib/sandbox/local/bwrap-command";

const base = {
  binaries: { bwrap: "/usr/bin/bwrap", prlimit: "/usr/bin/prlimit", setpriv: "/usr/bin/setpriv", unshare: "/usr/bin/unshare" },
  workspaceDir: "/data/sandboxes/s1",
  etcDir: "/data/sandboxes/.etc",
  limits: { cpuSeconds: 10, memoryMb: 512, fileSizeMb: 8, openFiles: 64, processes: 32 },
  tmpSizeMb: 16,
  env: { FOO: "bar" },
  cwd: "/workspace",
  command: "echo 'hi'; rm -rf /",
  dropTo: { uid: 1000, gid: 1000 },
};

/** The value following `flag` in argv (first occurrence). */
const after = (argv: string[], flag: string, n = 1) => argv.slice(argv.indexOf(flag) + 1, argv.indexOf(flag) + 1 + n);

describe("buildSandboxArgv", () => {
  it("ties the command to its owner before anything else (tie-to-owner.ts)", () => {
    const argv = buildSandboxArgv({ ...base, ownerPid: 4242 });
    expect(argv.slice(0, 3)).toEqual(["/usr/bin/setpriv", "--pdeathsig=KILL", "--"]);
    expect(argv.slice(6, 9)).toEqual(["oma-owner-check", "4242", "/usr/bin/unshare"]);
    expect(argv.slice(9, 12)).toEqual(["--pid", "--fork", "--"]);
  });

  it("drops to the unprivileged host user inside the pid namespace, then applies limits, then bwrap", () => {
    const argv = buildSandboxArgv(base);
    const dropAt = argv.indexOf("--reuid=1000");
    expect(argv.slice(dropAt - 1, dropAt + 5)).toEqual(["/usr/bin/setpriv", "--reuid=1000", "--regid=1000", "--clear-groups", "--pdeathsig=KILL", "--"]);
    expect(argv.indexOf("/usr/bin/unshare")).toBeLessThan(dropAt);
    expect(argv).toEqual(expect.arrayContaining(["--cpu=10", `--data=${512 * 1024 * 1024}`, `--fsize=${8 * 1024 * 1024}`, "--nofile=64", "--nproc=32"]));
    expect(argv.indexOf("/usr/bin/prlimit")).toBeLessThan(argv.indexOf("/usr/bin/bwrap"));
  });

  it("drops nothing when the server is already unprivileged, and makes its pid namespace in a user namespace", () => {
    const argv = buildSandboxArgv({ ...base, dropTo: null });
    expect(argv.some((arg) => arg.startsWith("--reuid"))).toBe(false);
    expect(argv.slice(argv.indexOf("/usr/bin/unshare") + 1).slice(0, 4)).toEqual(["--user", "--map-current-user", "--pid", "--fork"]);
  });

  it("isolates: no network, no host env, no host /etc, read-only root, non-root uid", () => {
    const argv = buildSandboxArgv(base);
    for (const flag of ["--unshare-all", "--unshare-user", "--clearenv", "--die-with-parent", "--new-session", "--disable-userns"]) {
      expect(argv).toContain(flag);
    }
    expect(after(argv, "--uid")).toEqual(["1000"]);
    expect(after(argv, "--ro-bind", 2)).toEqual(["/usr", "/usr"]);
    expect(after(argv, "--bind", 2)).toEqual(["/data/sandboxes/s1", "/workspace"]);
    expect(argv.join(" ")).toContain("--ro-bind /data/sandboxes/.etc /etc");
    expect(argv.join(" ")).toContain("--remount-ro /");
    expect(argv.join(" ")).not.toContain("--bind /etc");
  });

  it("sets only the base environment plus the provision env", () => {
    const argv = buildSandboxArgv(base);
    const names = argv.flatMap((arg, i) => (arg === "--setenv" ? [argv[i + 1]] : []));
    expect(names.sort()).toEqual(["FOO", "HOME", "LANG", "PATH", "TERM", "USER"]);
    expect(after(argv, "HOME")).toEqual(["/workspace"]);
  });

  it("passes the command as one argv element, never spliced into a script", () => {
    const argv = buildSandboxArgv(base);
    expect(argv.at(-1)).toBe(base.command);
    expect(argv.filter((arg) => arg.includes("rm -rf"))).toHaveLength(1);
  });
});

describe("generatedEtcFiles", () => {
  it("defines the agent user and resolves nothing but localhost", () => {
    const etc = generatedEtcFiles();
    expect(etc.passwd).toContain("agent:x:1000:1000:agent:/workspace:/bin/bash");
    expect(etc["resolv.conf"]).toBe("");
    expect(etc.hosts).toContain("127.0.0.1");
  });

  it("binds memory mounts before the root is made read-only: read-only stores with --ro-bind, the others with --bind", () => {
    const argv = buildSandboxArgv({
      ...base,
      mounts: [
        { hostDir: "/data/sandboxes/s1.memory/prefs", sandboxPath: "/mnt/memory/prefs", readOnly: true },
        { hostDir: "/data/sandboxes/s1.memory/notes", sandboxPath: "/mnt/memory/notes", readOnly: false },
      ],
    });
    const ro = argv.indexOf("/data/sandboxes/s1.memory/prefs");
    const rw = argv.indexOf("/data/sandboxes/s1.memory/notes");
    expect(argv.slice(ro - 1, ro + 2)).toEqual(["--ro-bind", "/data/sandboxes/s1.memory/prefs", "/mnt/memory/prefs"]);
    expect(argv.slice(rw - 1, rw + 2)).toEqual(["--bind", "/data/sandboxes/s1.memory/notes", "/mnt/memory/notes"]);
    expect(rw).toBeLessThan(argv.indexOf("--remount-ro"));
  });
});
