"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** The team's sections as tabs-looking links; the one for the current page carries aria-current. */
export function TeamNav({ slug }: { slug: string }) {
  const pathname = usePathname();
  const base = `/t/${slug}`;
  const items = [
    { href: base, label: "Overview", exact: true },
    { href: `${base}/agents`, label: "Agents", exact: false },
    { href: `${base}/environments`, label: "Environments", exact: false },
    { href: `${base}/sessions`, label: "Sessions", exact: false },
    { href: `${base}/vaults`, label: "Vaults", exact: false },
    { href: `${base}/memory`, label: "Memory", exact: false },
    { href: `${base}/skills`, label: "Skills", exact: false },
    { href: `${base}/deployments`, label: "Deployments", exact: false },
    { href: `${base}/settings/members`, label: "Members", exact: false },
    { href: `${base}/settings/api-keys`, label: "API keys", exact: false },
    { href: `${base}/settings/webhooks`, label: "Webhooks", exact: false },
  ];
  return (
    <nav aria-label="Team" className="-mb-px flex gap-0.5 overflow-x-auto">
      {items.map((item) => {
        const active = item.exact ? pathname === item.href : pathname.startsWith(item.href);
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={active ? "page" : undefined}
            className={`shrink-0 border-b-2 px-2.5 py-2.5 text-sm font-medium ${
              active
                ? "border-brand-500 text-zinc-900 dark:text-zinc-100"
                : "border-transparent text-zinc-600 hover:border-zinc-300 hover:text-zinc-900 dark:text-zinc-400 dark:hover:border-zinc-700 dark:hover:text-zinc-100"
            }`}
          >
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}
