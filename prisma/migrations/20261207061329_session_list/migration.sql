-- DropIndex
DROP INDEX "Session_teamId_status_idx";

-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "createdBy" TEXT,
ADD COLUMN     "firstMessage" TEXT;

-- AlterTable
ALTER TABLE "ShareLink" ADD COLUMN     "lastViewedAt" TIMESTAMP(3),
ADD COLUMN     "viewCount" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "Session_teamId_id_idx" ON "Session"("teamId", "id");

-- CreateIndex
CREATE INDEX "Session_teamId_status_id_idx" ON "Session"("teamId", "status", "id");

-- CreateIndex
CREATE INDEX "Session_teamId_agentId_id_idx" ON "Session"("teamId", "agentId", "id");

-- CreateIndex
CREATE INDEX "Session_teamId_createdBy_id_idx" ON "Session"("teamId", "createdBy", "id");

-- The sessions list's title of an untitled session, and what its search reads: the text of the first
-- `user.message` of its log, whitespace collapsed, cut to 200 characters. Kept by a trigger, in the
-- transaction that appends the event, so every writer of the log (the API, the web app, copies of a
-- log) keeps it without the list ever reading a log.
CREATE FUNCTION "session_message_text"("payload" JSONB) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
  SELECT NULLIF(left(btrim(regexp_replace(string_agg("block"->>'text', ' '), '\s+', ' ', 'g')), 200), '')
  FROM jsonb_array_elements(CASE WHEN jsonb_typeof("payload"->'content') = 'array' THEN "payload"->'content' ELSE '[]'::jsonb END) AS "block"
  WHERE "block"->>'type' = 'text'
$$;

CREATE FUNCTION "SessionEvent_first_message"() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Session" SET "firstMessage" = "session_message_text"(NEW."payload")
  WHERE "id" = NEW."sessionId" AND "firstMessage" IS NULL;
  RETURN NULL;
END
$$;

CREATE TRIGGER "SessionEvent_first_message" AFTER INSERT ON "SessionEvent"
  FOR EACH ROW WHEN (NEW."type" = 'user.message') EXECUTE FUNCTION "SessionEvent_first_message"();

-- Sessions from before: their first message, once.
UPDATE "Session" AS s SET "firstMessage" = f."text"
FROM (
  SELECT DISTINCT ON (e."sessionId") e."sessionId", "session_message_text"(e."payload") AS "text"
  FROM "SessionEvent" AS e
  WHERE e."type" = 'user.message' AND "session_message_text"(e."payload") IS NOT NULL
  ORDER BY e."sessionId", e."seq"
) AS f
WHERE s."id" = f."sessionId";
