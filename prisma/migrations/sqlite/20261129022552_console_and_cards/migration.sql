-- AlterTable
ALTER TABLE "ticket" ADD COLUMN "disclaim_reason" TEXT;
ALTER TABLE "ticket" ADD COLUMN "disclaimed_at" DATETIME;

-- AlterTable
ALTER TABLE "outbox_message" ADD COLUMN "card_ref" TEXT;
ALTER TABLE "outbox_message" ADD COLUMN "card_ref_at" DATETIME;
ALTER TABLE "outbox_message" ADD COLUMN "ticket_id" INTEGER;

-- CreateTable
CREATE TABLE "console_message" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "room" TEXT NOT NULL,
    "direction" TEXT NOT NULL,
    "person_id" TEXT,
    "sender_name" TEXT NOT NULL,
    "text" TEXT,
    "payload" TEXT,
    "attachment" TEXT,
    "updated_at" DATETIME,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "console_message_room_id_idx" ON "console_message"("room", "id");

-- CreateIndex
CREATE INDEX "outbox_message_ticket_id_idx" ON "outbox_message"("ticket_id");
