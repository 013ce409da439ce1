import Link from "next/link";
import { formatBytes, type TMemoryTreeNode } from "@/lib/memory-stores/ui/memory-tree";

/**
 * The memory browser's tree: folders as open disclosure widgets (native `<details>`, keyboard and
 * screen-reader friendly without script), files as links to their memory page with their size.
 * Plain nested lists rather than an ARIA tree: a tree's items may not hold links of their own.
 */
export function MemoryTree({ nodes, hrefOf }: { nodes: TMemoryTreeNode[]; hrefOf: (id: string) => string }) {
  return (
    <ul aria-label="Memories" className="flex flex-col gap-0.5 font-mono text-sm">
      <TreeLevel nodes={nodes} hrefOf={hrefOf} />
    </ul>
  );
}

function TreeLevel({ nodes, hrefOf }: { nodes: TMemoryTreeNode[]; hrefOf: (id: string) => string }) {
  return nodes.map((node) =>
    node.kind === "dir" ? (
      <li key={node.path}>
        <details open>
          <summary className="cursor-pointer rounded px-1.5 py-1 text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800">{node.name}/</summary>
          <ul className="ml-4 flex flex-col gap-0.5 border-l border-zinc-200 pl-2 dark:border-zinc-800">
            <TreeLevel nodes={node.children} hrefOf={hrefOf} />
          </ul>
        </details>
      </li>
    ) : (
      <li key={node.path} className="flex items-baseline justify-between gap-3 rounded px-1.5 py-1 hover:bg-zinc-100 dark:hover:bg-zinc-800">
        <Link href={hrefOf(node.id)} title={node.path} className="min-w-0 truncate text-brand-700 underline-offset-2 hover:underline dark:text-brand-300">
          {node.name}
        </Link>
        <span className="shrink-0 text-xs text-zinc-600 dark:text-zinc-400">{formatBytes(node.sizeBytes)}</span>
      </li>
    ),
  );
}
