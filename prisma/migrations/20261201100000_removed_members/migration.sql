-- A member removed from a group keeps their membership, read-only: they see the history up to
-- the seq of their removal (the MEMBER_REMOVED message) and nothing after it; null while they
-- are a member. Leaving, or deleting the chat, still takes the row away.
ALTER TABLE "memberships" ADD COLUMN "removed_seq" INTEGER;
