-- Sticker packs (modules/stickers): a share slug, publishing and soft deletion for packs (sent
-- stickers keep showing after their pack or the sticker itself is deleted), an emoji for every
-- sticker and a name for the built-in ones, each person's list of packs in their order, and the
-- stickers they sent lately. The built-in stickers' media ship with the server: they have no owner.
-- No pack or sticker could be made before this migration; the statements that fill the new NOT NULL
-- columns are there for a database where someone made one by hand.

-- AlterTable
ALTER TABLE "media" ALTER COLUMN "owner_id" DROP NOT NULL;

-- AlterTable
ALTER TABLE "sticker_packs" ADD COLUMN "slug" VARCHAR(32),
ADD COLUMN "published_at" TIMESTAMPTZ(3),
ADD COLUMN "deleted_at" TIMESTAMPTZ(3);
UPDATE "sticker_packs" SET "slug" = replace("id"::text, '-', '');
ALTER TABLE "sticker_packs" ALTER COLUMN "slug" SET NOT NULL;

-- AlterTable
ALTER TABLE "stickers" ADD COLUMN "name" VARCHAR(64),
ADD COLUMN "deleted_at" TIMESTAMPTZ(3);
UPDATE "stickers" SET "emoji" = '🙂' WHERE "emoji" IS NULL;
ALTER TABLE "stickers" ALTER COLUMN "emoji" SET NOT NULL;

-- CreateTable
CREATE TABLE "installed_sticker_packs" (
    "user_id" UUID NOT NULL,
    "pack_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "installed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "installed_sticker_packs_pkey" PRIMARY KEY ("user_id","pack_id")
);

-- CreateTable
CREATE TABLE "recent_stickers" (
    "user_id" UUID NOT NULL,
    "sticker_id" UUID NOT NULL,
    "used_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "recent_stickers_pkey" PRIMARY KEY ("user_id","sticker_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "sticker_packs_slug_key" ON "sticker_packs"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "stickers_pack_id_name_key" ON "stickers"("pack_id", "name");

-- CreateIndex
CREATE INDEX "installed_sticker_packs_pack_id_idx" ON "installed_sticker_packs"("pack_id");

-- CreateIndex
CREATE INDEX "recent_stickers_user_id_used_at_idx" ON "recent_stickers"("user_id", "used_at");

-- AddForeignKey
ALTER TABLE "installed_sticker_packs" ADD CONSTRAINT "installed_sticker_packs_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "installed_sticker_packs" ADD CONSTRAINT "installed_sticker_packs_pack_id_fkey" FOREIGN KEY ("pack_id") REFERENCES "sticker_packs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "recent_stickers" ADD CONSTRAINT "recent_stickers_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "recent_stickers" ADD CONSTRAINT "recent_stickers_sticker_id_fkey" FOREIGN KEY ("sticker_id") REFERENCES "stickers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
