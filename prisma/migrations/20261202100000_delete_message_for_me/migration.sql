-- "Delete for me" of one message (issue #15): the message is hidden from one user alone, on all
-- of their devices. hidden_seq counts the user's hidden messages per conversation, so that their
-- other devices can ask for what was hidden after the count they know. The rows outlive the
-- membership (leaving and being added back), so the count never goes back; they go with the
-- message, or with the user.

-- CreateTable
CREATE TABLE "hidden_messages" (
    "user_id" UUID NOT NULL,
    "message_id" UUID NOT NULL,
    "conversation_id" UUID NOT NULL,
    "hidden_seq" INTEGER NOT NULL,
    "hidden_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "hidden_messages_pkey" PRIMARY KEY ("user_id","message_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "hidden_messages_user_id_conversation_id_hidden_seq_key" ON "hidden_messages"("user_id", "conversation_id", "hidden_seq");

-- CreateIndex
CREATE INDEX "hidden_messages_message_id_idx" ON "hidden_messages"("message_id");

-- AddForeignKey
ALTER TABLE "hidden_messages" ADD CONSTRAINT "hidden_messages_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "hidden_messages" ADD CONSTRAINT "hidden_messages_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE CASCADE;
