-- Reclaiming stored media (modules/media/media.sweeper.ts): a ledger of every storage key content
-- was stored under, which the sweep looks through for content no media row refers to any more,
-- and an index on every column that points at media, so that finding out whether a row is still
-- used (and deleting it: these foreign keys set null or cascade) reads an index, not a table.
-- The ledger starts with the keys of the media rows there are; content stored before this
-- migration that no row refers to any more is not known to it and stays where it is.

-- CreateTable
CREATE TABLE "stored_contents" (
    "key" TEXT NOT NULL,
    "claimed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stored_contents_pkey" PRIMARY KEY ("key")
);

INSERT INTO "stored_contents" ("key")
SELECT "storage_key" FROM "media"
UNION
SELECT "thumbnail_key" FROM "media" WHERE "thumbnail_key" IS NOT NULL;

-- CreateIndex
CREATE INDEX "media_thumbnail_key_idx" ON "media"("thumbnail_key");

-- CreateIndex
CREATE INDEX "users_avatar_id_idx" ON "users"("avatar_id");

-- CreateIndex
CREATE INDEX "conversations_avatar_id_idx" ON "conversations"("avatar_id");

-- CreateIndex
CREATE INDEX "stickers_media_id_idx" ON "stickers"("media_id");

-- Partial: few messages carry a sticker, and none a media_id (photos and files are in
-- message_attachments), so every other message stays out of these indexes and costs no write.
CREATE INDEX "messages_sticker_id_idx" ON "messages"("sticker_id") WHERE "sticker_id" IS NOT NULL;
CREATE INDEX "messages_media_id_idx" ON "messages"("media_id") WHERE "media_id" IS NOT NULL;
