/**
 * A store's memories as a tree of directories and files for the memory browser. Paths are split
 * on `/`; a directory exists only as the prefix of some memory's path (the API's `memory_prefix`).
 * Children are sorted directories first, then files, each by name.
 */
export type TMemoryTreeNode =
  | { kind: "dir"; name: string; path: string; children: TMemoryTreeNode[] }
  | { kind: "file"; name: string; path: string; id: string; sizeBytes: number };

export function memoryTree(memories: readonly { id: string; path: string; content_size_bytes: number }[]): TMemoryTreeNode[] {
  const root: TMemoryTreeNode[] = [];
  for (const memory of memories) {
    const segments = memory.path.split("/").slice(1);
    let level = root;
    segments.slice(0, -1).forEach((name, i) => {
      const path = `/${segments.slice(0, i + 1).join("/")}/`;
      let dir = level.find((node) => node.kind === "dir" && node.name === name);
      if (!dir) {
        dir = { kind: "dir", name, path, children: [] };
        level.push(dir);
      }
      level = (dir as Extract<TMemoryTreeNode, { kind: "dir" }>).children;
    });
    level.push({ kind: "file", name: segments.at(-1)!, path: memory.path, id: memory.id, sizeBytes: memory.content_size_bytes });
  }
  const sort = (nodes: TMemoryTreeNode[]): TMemoryTreeNode[] =>
    nodes
      .sort((a, b) => (a.kind === b.kind ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.kind === "dir" ? -1 : 1))
      .map((node) => (node.kind === "dir" ? { ...node, children: sort(node.children) } : node));
  return sort(root);
}

/** A size for people: bytes, KB or MB (1000-based, as the API's 100 kB limit). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}
