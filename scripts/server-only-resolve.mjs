// A Node module-resolution hook (registered by node-hooks.mjs): `server-only` resolves with the
// `react-server` condition, as in a React server bundle, to the package's empty module.
export async function resolve(specifier, context, nextResolve) {
  if (specifier !== "server-only") return nextResolve(specifier, context);
  return nextResolve(specifier, { ...context, conditions: [...context.conditions, "react-server"] });
}
