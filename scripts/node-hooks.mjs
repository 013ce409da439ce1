// How every Node process of ours starts (`node --import ./scripts/node-hooks.mjs <entry>`): the
// server, the worker, the CLI, the benches and the processes tests start. It loads tsx (TypeScript
// as the sources are) and resolves `server-only` as a React server environment does.
//
// Modules that must never reach a browser bundle (the database, the vault, the harness, the
// sandboxes…) begin with `import "server-only"`. Next's bundler makes that an empty module on the
// server and a build error in a client component. A plain Node process is a server too, but Node
// resolves the package's default export, which throws; so here it resolves with the
// `react-server` condition, to the package's own empty module.
import { register } from "node:module";
import "tsx";

register("./server-only-resolve.mjs", import.meta.url);
