/** An entry of a workspace listing (the workspace panel's tree), shared by the server and the browser. */
export type TWorkspaceEntry = { path: string; type: "file" | "directory" | "link"; size: number };
