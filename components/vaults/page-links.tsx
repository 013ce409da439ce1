import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";

/** "First page" and "Next page" under a paged list, when there is more than one page. */
export function PageLinks({ label, firstHref, nextHref }: { label: string; firstHref: string | null; nextHref: string | null }) {
  if (!firstHref && !nextHref) return null;
  return (
    <nav aria-label={label} className="flex justify-between gap-3 border-t border-zinc-200 pt-4 dark:border-zinc-800">
      {firstHref ? (
        <Link href={firstHref} className={buttonClasses("secondary")}>
          First page
        </Link>
      ) : (
        <span />
      )}
      {nextHref ? (
        <Link href={nextHref} className={buttonClasses("secondary")}>
          Next page
        </Link>
      ) : null}
    </nav>
  );
}
