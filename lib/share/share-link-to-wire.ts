/** A share link as the API and the session view show it: never its token (it is not stored). */
export type TShareLink = {
  id: string;
  type: "share_link";
  session_id: string;
  created_by: string | null;
  created_at: string;
  revoked_at: string | null;
  /** Times its replay page was opened (our extension). */
  view_count: number;
  last_viewed_at: string | null;
};

export function shareLinkToWire(row: {
  id: string;
  sessionId: string;
  createdBy: string | null;
  createdAt: Date;
  revokedAt: Date | null;
  viewCount: number;
  lastViewedAt: Date | null;
}): TShareLink {
  return {
    id: row.id,
    type: "share_link",
    session_id: row.sessionId,
    created_by: row.createdBy,
    created_at: row.createdAt.toISOString(),
    revoked_at: row.revokedAt?.toISOString() ?? null,
    view_count: row.viewCount,
    last_viewed_at: row.lastViewedAt?.toISOString() ?? null,
  };
}
