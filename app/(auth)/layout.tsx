import Link from "next/link";
import type { ReactNode } from "react";

/** Signed-out pages: one centred card under the product's name. */
export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main id="main" className="flex min-h-dvh flex-col items-center px-4 py-12 sm:justify-center sm:py-16">
      <div className="flex w-full max-w-sm flex-col gap-8">
        <Link href="/" className="flex items-center gap-2 self-center rounded-lg px-2 py-1 text-sm font-semibold">
          <span aria-hidden="true" className="inline-block size-2.5 rounded-full bg-brand-500" />
          Open Managed Agents
        </Link>
        <div className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm sm:p-8 dark:border-zinc-800 dark:bg-zinc-900">{children}</div>
      </div>
    </main>
  );
}
