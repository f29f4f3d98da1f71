-- Uploads (modules/media): what each was uploaded as, its file name and placeholder; stored
-- content named by its sha256, so several media rows may share one storage key; and the
-- photos or file of a message, in order, each media row attached to one message at most.
-- No upload could be made before this migration, so "media" holds no rows for the new
-- NOT NULL column to fill.

-- CreateEnum
CREATE TYPE "MediaPurpose" AS ENUM ('PHOTO', 'FILE', 'AVATAR', 'STICKER');

-- AlterTable
ALTER TABLE "media" ADD COLUMN "purpose" "MediaPurpose" NOT NULL,
ADD COLUMN "name" VARCHAR(255),
ADD COLUMN "placeholder" VARCHAR(64);

-- DropIndex
DROP INDEX "media_storage_key_key";

-- CreateIndex
CREATE INDEX "media_storage_key_idx" ON "media"("storage_key");

-- CreateTable
CREATE TABLE "message_attachments" (
    "message_id" UUID NOT NULL,
    "media_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "message_attachments_pkey" PRIMARY KEY ("message_id","position")
);

-- CreateIndex
CREATE UNIQUE INDEX "message_attachments_media_id_key" ON "message_attachments"("media_id");

-- AddForeignKey
ALTER TABLE "message_attachments" ADD CONSTRAINT "message_attachments_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "message_attachments" ADD CONSTRAINT "message_attachments_media_id_fkey" FOREIGN KEY ("media_id") REFERENCES "media"("id") ON DELETE CASCADE ON UPDATE CASCADE;
