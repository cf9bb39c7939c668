-- AlterTable
ALTER TABLE "digest" ADD COLUMN     "data" TEXT;

-- CreateTable
CREATE TABLE "reminder_log" (
    "key" TEXT NOT NULL,
    "ticket_id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reminder_log_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "reminder_log_ticket_id_idx" ON "reminder_log"("ticket_id");
