import "server-only";
/**
 * The environment every host-side git command of a clone runs with. The token reaches git only
 * here, as configuration passed through the environment (`GIT_CONFIG_COUNT`, `GIT_CONFIG_KEY_n`,
 * `GIT_CONFIG_VALUE_n`, git ≥ 2.31): never in argv (which every user of the host can read in
 * `ps`), never in the remote URL, never in a config file, so nothing of it is left in the clone.
 *
 * Decisions:
 * - the header is `Authorization: Basic base64("x-access-token:<token>")`, which GitHub accepts
 *   for personal access tokens and app installation tokens alike;
 * - it is scoped to the repository's origin (`http.<scheme://host:port>/.extraHeader`), and
 *   redirects are not followed (`http.followRedirects=false`): git would otherwise send the header
 *   on to wherever a redirect leads. A moved repository fails with a clear error instead;
 * - the host's git configuration is ignored (no system file, no global file, no credential
 *   helper), so a helper can neither store the token nor supply another one;
 * - only http(s) transports are allowed (`GIT_ALLOW_PROTOCOL`), prompts are off
 *   (`GIT_TERMINAL_PROMPT=0`) and messages are in English (`LC_ALL=C`), which error mapping reads.
 */
export function gitEnvironment(url: string, token: string | undefined): Record<string, string> {
  const config: Array<[string, string]> = [
    ["http.followRedirects", "false"],
    ["credential.helper", ""],
    ["core.askPass", ""],
  ];
  if (token) {
    const origin = new URL(url).origin;
    const basic = Buffer.from(`x-access-token:${token}`, "utf8").toString("base64");
    config.push([`http.${origin}/.extraHeader`, `Authorization: Basic ${basic}`]);
  }
  const env: Record<string, string> = {
    PATH: process.env.PATH || "/usr/local/bin:/usr/bin:/bin",
    HOME: "/nonexistent",
    LC_ALL: "C",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_TERMINAL_PROMPT: "0",
    GIT_ASKPASS: "",
    SSH_ASKPASS: "",
    GIT_ALLOW_PROTOCOL: "http:https",
    GIT_CONFIG_COUNT: String(config.length),
  };
  config.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}
