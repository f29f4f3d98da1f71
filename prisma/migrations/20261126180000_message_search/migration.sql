-- Full-text search over message bodies. The 'simple' configuration (no stemming, no stop words)
-- treats English and Russian alike. An expression index, which schema.prisma cannot express:
-- api/src/modules/messages/messages.service.ts queries exactly this expression.
CREATE INDEX "messages_body_search_idx" ON "messages" USING GIN (to_tsvector('simple', "body"));
