import type { TAdditionalEnvironment } from "./session-store";

/**
 * The platform's several hands per session: a session's environments are its primary (the API's
 * `environment_id`) and, in order, its `additional_environments`. An agent's built-in tool config
 * may name one (`environment`, agent-config.ts): by the name the session gives it, or by its id.
 * A tool that names none runs in the primary. Pure: the harness routes by it, session creation
 * checks agents against it and the session page folds its hands with it.
 */
export type TSessionEnvironmentRef = { id: string; name: string | null; primary: boolean };

export function sessionEnvironmentsOf(session: { environmentId: string; additionalEnvironments?: readonly TAdditionalEnvironment[] }): TSessionEnvironmentRef[] {
  return [
    { id: session.environmentId, name: null, primary: true },
    ...(session.additionalEnvironments ?? []).map((e) => ({ id: e.environment_id, name: e.name, primary: false })),
  ];
}

/**
 * The environment a tool's `environment` names: null (or absent) is the primary; otherwise the one
 * the session gives that name, else the one with that id; undefined when the session has neither.
 */
export function findSessionEnvironment(environments: readonly TSessionEnvironmentRef[], key: string | null | undefined): TSessionEnvironmentRef | undefined {
  if (key === null || key === undefined) return environments.find((e) => e.primary);
  return environments.find((e) => e.name === key) ?? environments.find((e) => e.id === key);
}
