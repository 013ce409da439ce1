import "server-only";
/**
 * The front of every sandbox command line: what makes a sandbox die with the process that spawned
 * it (its owner: a worker or the web server) from the first instant, even when the owner is
 * SIGKILLed a millisecond after the spawn.
 *
 * bubblewrap's --die-with-parent is not enough on its own. It sets PR_SET_PDEATHSIG only once bwrap
 * runs, and in its sandbox's init only after all the mount setup, so an owner that dies in between
 * leaves a command that runs to its end (or a bwrap blocked forever). A parent-death signal is tied
 * to the parent at the instant it is set, is lost across fork and on every change of effective
 * uid/gid (setpriv --reuid), and a parent that died before it was set never fires it. Hence:
 *
 *   owner ─ setpriv --pdeathsig=KILL ─ sh: parent still the owner? ─ unshare --pid --fork
 *             └ init of a new pid namespace ─ setpriv [--reuid …] --pdeathsig=KILL ─ sh: parent
 *               still the unshare? ─ prlimit … ─ bwrap … (the sandbox proper, nested inside)
 *
 * Each link sets its death signal *after* its last credential change and only then checks that its
 * parent is still the one expected (the classic race: a parent that is already gone is never
 * checked against). The second link is the init of a pid namespace that holds everything the
 * command starts, bwrap's own processes included: when that init dies, the kernel SIGKILLs every
 * process in the namespace, so bwrap's later forks need no guarantee of their own. Everything
 * before the first check runs none of the command, whatever happens to the owner.
 *
 * nsenter (networked sandboxes), setpriv, sh, prlimit and bwrap are exec'd in place (no fork, no
 * setuid bit), so the death signal set by a link survives to the next check. unshare forks once
 * (--fork), which is why the namespace's init checks its own parent.
 *
 * Note: the death signal fires when the owner's spawning *thread* exits. Node spawns from the thread
 * that calls spawn(): the main thread here, which lives as long as the process. A worker_thread that
 * spawned sandboxes would take them down when it exits, which is still "never outlives its owner".
 */

export interface OwnerTieOptions {
  binaries: { setpriv: string; unshare: string };
  /** The pid that spawns the command (`process.pid`): the first link checks that it is its parent. */
  ownerPid: number;
  /** setpriv options that drop to the sandbox's host user, applied in the namespace's init; none when already unprivileged. */
  dropPrivileges: string[];
  /**
   * True when the owner runs as root (CAP_SYS_ADMIN may create a pid namespace); otherwise the pid
   * namespace is created inside a user namespace that maps the owner's own uid to itself.
   */
  privileged: boolean;
}

/** Exit status of a link whose parent is gone; nobody is left to read it. */
const ORPHANED = 125;

/** First link: `$PPID` is set from getppid() when the shell starts, after setpriv set the death signal. */
const CHECK_PARENT_IS_OWNER = `[ "$PPID" = "$1" ] || exit ${ORPHANED}; shift; exec "$@"`;

/**
 * Second link, the init of the new pid namespace: its getppid() is 0 there (the parent is outside),
 * so the parent is read from the host's /proc (the mount namespace is not unshared). The expected
 * parent is the unshare process, the one the owner spawned: spawned detached, it leads the process
 * group this init inherited. Field 4 of /proc/self/stat is the parent, field 5 the process group.
 */
const CHECK_PARENT_IS_GROUP_LEADER = [
  "read -r s < /proc/self/stat",
  's=${s##*) }; s=${s#* }; ppid=${s%% *}; s=${s#* }; pgrp=${s%% *}',
  `[ "$ppid" = "$pgrp" ] || exit ${ORPHANED}`,
  'exec "$@"',
].join("\n");

/** The argv to put in front of `prlimit … bwrap …`. */
export function ownerTieArgv(options: OwnerTieOptions): string[] {
  const { setpriv, unshare } = options.binaries;
  const namespace = options.privileged ? ["--pid"] : ["--user", "--map-current-user", "--pid"];
  return [
    setpriv, "--pdeathsig=KILL", "--",
    "/bin/sh", "-c", CHECK_PARENT_IS_OWNER, "oma-owner-check", String(options.ownerPid),
    unshare, ...namespace, "--fork", "--",
    setpriv, ...options.dropPrivileges, "--pdeathsig=KILL", "--",
    "/bin/sh", "-c", CHECK_PARENT_IS_GROUP_LEADER, "oma-owner-check",
  ];
}
