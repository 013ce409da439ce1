import { AppError } from "@/lib/errors";

export type TListPage<T> = {
  data: T[];
  showArchived: boolean;
  /** The list's address showing active items (the filter's first choice). */
  activeHref: string;
  /** The list's address including archived items. */
  allHref: string;
  /** Back to the first page, when this is not it. */
  firstHref: string | null;
  nextHref: string | null;
  /** On an empty first page of active items: whether archived ones exist (asked only with `probeArchived`). */
  hasArchived: boolean;
};

/**
 * One page of a web app list of archivable resources (agents, environments, vaults, credentials),
 * read with the API's own list function from the page's search params: `archived=include` shows
 * archived items too, `page=<cursor>` is the page. A page link that no longer decodes (edited by
 * hand) shows the first page. With `probeArchived`, an empty first page of active items asks
 * whether archived ones exist, so the empty state can say so.
 */
export async function readListPage<T>(
  list: (query: URLSearchParams) => Promise<{ data: T[]; next_page: string | null }>,
  options: { base: string; searchParams: Record<string, string | string[] | undefined>; pageSize: number; probeArchived?: boolean },
): Promise<TListPage<T>> {
  const { base, searchParams } = options;
  const showArchived = searchParams.archived === "include";
  const cursor = typeof searchParams.page === "string" ? searchParams.page : undefined;
  const listHref = (page?: string) => `${base}?${new URLSearchParams({ ...(showArchived ? { archived: "include" } : {}), ...(page ? { page } : {}) })}`.replace(/\?$/, "");
  const read = (page?: string) =>
    list(new URLSearchParams({ limit: String(options.pageSize), include_archived: String(showArchived), ...(page ? { page } : {}) }));
  const { data, next_page } = await read(cursor).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "invalid_request") return read();
    throw error;
  });
  const hasArchived =
    options.probeArchived && data.length === 0 && !showArchived && !cursor
      ? (await list(new URLSearchParams({ limit: "1", include_archived: "true" }))).data.length > 0
      : false;
  return {
    data,
    showArchived,
    activeHref: base,
    allHref: `${base}?archived=include`,
    firstHref: cursor ? listHref() : null,
    nextHref: next_page ? listHref(next_page) : null,
    hasArchived,
  };
}
