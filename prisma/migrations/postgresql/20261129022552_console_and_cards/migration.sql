-- AlterTable
ALTER TABLE "ticket" ADD COLUMN     "disclaim_reason" TEXT,
ADD COLUMN     "disclaimed_at" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "outbox_message" ADD COLUMN     "card_ref" TEXT,
ADD COLUMN     "card_ref_at" TIMESTAMP(3),
ADD COLUMN     "ticket_id" INTEGER;

-- CreateTable
CREATE TABLE "console_message" (
    "id" SERIAL NOT NULL,
    "room" TEXT NOT NULL,
    "direction" TEXT NOT NULL,
    "person_id" TEXT,
    "sender_name" TEXT NOT NULL,
    "text" TEXT,
    "payload" TEXT,
    "attachment" TEXT,
    "updated_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "console_message_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "console_message_room_id_idx" ON "console_message"("room", "id");

-- CreateIndex
CREATE INDEX "outbox_message_ticket_id_idx" ON "outbox_message"("ticket_id");
