import Link from "next/link";
import type { ReactNode } from "react";

/** The way up from a detail page ("← Agents"). */
export function BackLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <p className="-mb-2">
      <Link href={href} className="inline-flex items-center gap-1.5 rounded-md text-sm font-medium text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100">
        <span aria-hidden="true">←</span> {children}
      </Link>
    </p>
  );
}
