import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";

/** A team that does not exist and a team the user is not in look the same, on purpose. */
export default function NotFound() {
  return (
    <main id="main" className="mx-auto flex min-h-dvh max-w-md flex-col items-center justify-center gap-4 px-6 text-center">
      <p className="text-sm font-medium text-brand-700 dark:text-brand-300">404</p>
      <h1 className="text-2xl font-semibold tracking-tight">Not found</h1>
      <p className="text-zinc-600 dark:text-zinc-400">This page does not exist, or it belongs to a team you are not a member of.</p>
      <Link href="/teams" className={buttonClasses("secondary")}>
        Go to your teams
      </Link>
    </main>
  );
}
