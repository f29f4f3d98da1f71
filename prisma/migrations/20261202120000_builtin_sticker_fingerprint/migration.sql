-- The built-in sticker pack's fingerprint (modules/stickers/builtin-pack.ts): a sha256 of its
-- drawings, its pack.json and the rendering they go through. Start-up renders the pack again only
-- when the fingerprint differs, or when its images are missing from the storage. Null for people's
-- packs, and for the built-in pack until the first start after this migration.

-- AlterTable
ALTER TABLE "sticker_packs" ADD COLUMN "fingerprint" VARCHAR(64);
