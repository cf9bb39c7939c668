-- CreateEnum
CREATE TYPE "UnitKind" AS ENUM ('PROVINCIAL', 'CITY', 'BUREAU');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('BUREAU_ADMIN', 'BUREAU_STAFF', 'UNIT_OFFICER', 'UNIT_LEADER', 'LEADER');

-- CreateEnum
CREATE TYPE "Platform" AS ENUM ('WECOM', 'DINGTALK', 'CONSOLE');

-- CreateEnum
CREATE TYPE "GroupPurpose" AS ENUM ('LEADERSHIP', 'UNIT', 'BUREAU');

-- CreateEnum
CREATE TYPE "TicketKind" AS ENUM ('PLAN', 'PROBLEM', 'RETURN');

-- CreateEnum
CREATE TYPE "TicketStatus" AS ENUM ('ASSIGNED', 'IN_PROGRESS', 'SUBMITTED', 'RETURNED', 'DONE');

-- CreateEnum
CREATE TYPE "OutboxStatus" AS ENUM ('PENDING', 'SENT', 'DEAD');

-- CreateTable
CREATE TABLE "unit" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "UnitKind" NOT NULL,
    "aliases" TEXT NOT NULL DEFAULT '[]',
    "collective" BOOLEAN NOT NULL DEFAULT true,
    "sort_order" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "unit_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "person" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "unit_code" TEXT,
    "wecom_user_id" TEXT,
    "dingtalk_user_id" TEXT,
    "console_id" TEXT,
    "title" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "chat_group" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "platform" "Platform" NOT NULL,
    "chat_id" TEXT,
    "webhook_url" TEXT,
    "webhook_secret" TEXT,
    "purpose" "GroupPurpose" NOT NULL,
    "unit_code" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chat_group_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "plan" (
    "id" TEXT NOT NULL,
    "doc_no" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "source_hash" TEXT NOT NULL,
    "source_text" TEXT NOT NULL,
    "loaded_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "plan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "task" (
    "id" TEXT NOT NULL,
    "plan_id" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "category" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "responsible_text" TEXT NOT NULL,
    "responsible_units" TEXT NOT NULL DEFAULT '[]',
    "unresolved" TEXT NOT NULL DEFAULT '[]',
    "due" TEXT,
    "recurring" BOOLEAN NOT NULL DEFAULT false,
    "sla_workdays" INTEGER,

    CONSTRAINT "task_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "milestone" (
    "id" TEXT NOT NULL,
    "task_id" TEXT NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "due" TEXT NOT NULL,
    "units" TEXT NOT NULL DEFAULT '[]',
    "unresolved" TEXT NOT NULL DEFAULT '[]',

    CONSTRAINT "milestone_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "service_item" (
    "id" SERIAL NOT NULL,
    "plan_id" TEXT NOT NULL,
    "unit_code" TEXT NOT NULL,
    "annex" INTEGER NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "service_item_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ticket" (
    "id" SERIAL NOT NULL,
    "kind" "TicketKind" NOT NULL DEFAULT 'PLAN',
    "milestone_id" TEXT,
    "unit_code" TEXT NOT NULL,
    "assignee_id" TEXT,
    "title" TEXT NOT NULL,
    "status" "TicketStatus" NOT NULL DEFAULT 'ASSIGNED',
    "progress" INTEGER NOT NULL DEFAULT 0,
    "due" TEXT NOT NULL,
    "original_due" TEXT NOT NULL,
    "extension_due" TEXT,
    "extension_reason" TEXT,
    "urgent" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL DEFAULT 0,
    "accepted_at" TIMESTAMP(3),
    "submitted_at" TIMESTAMP(3),
    "done_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ticket_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ticket_event" (
    "id" SERIAL NOT NULL,
    "ticket_id" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "from_status" "TicketStatus",
    "to_status" "TicketStatus",
    "actor_id" TEXT,
    "actor_name" TEXT NOT NULL,
    "actor_role" "Role" NOT NULL,
    "note" TEXT,
    "data" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ticket_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "progress_report" (
    "id" SERIAL NOT NULL,
    "ticket_id" INTEGER NOT NULL,
    "percent" INTEGER NOT NULL,
    "note" TEXT,
    "reporter_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "progress_report_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "evidence" (
    "id" SERIAL NOT NULL,
    "ticket_id" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "mime" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "blob_path" TEXT NOT NULL,
    "uploader_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "evidence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox_message" (
    "id" SERIAL NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "platform" "Platform" NOT NULL,
    "target" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" "OutboxStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_by" TEXT,
    "locked_until" TIMESTAMP(3),
    "last_error" TEXT,
    "platform_message_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMP(3),

    CONSTRAINT "outbox_message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "inbound_event" (
    "key" TEXT NOT NULL,
    "platform" "Platform" NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" TEXT,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMP(3),
    "error" TEXT,

    CONSTRAINT "inbound_event_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "digest" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "group_id" TEXT NOT NULL,
    "late" BOOLEAN NOT NULL DEFAULT false,
    "content" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMP(3),

    CONSTRAINT "digest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "calendar_override" (
    "date" TEXT NOT NULL,
    "workday" BOOLEAN NOT NULL,
    "note" TEXT,
    "created_by" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "calendar_override_pkey" PRIMARY KEY ("date")
);

-- CreateTable
CREATE TABLE "job_lease" (
    "name" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "lease_until" TIMESTAMP(3) NOT NULL,
    "last_run_at" TIMESTAMP(3),
    "last_run_key" TEXT,

    CONSTRAINT "job_lease_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE UNIQUE INDEX "unit_name_key" ON "unit"("name");

-- CreateIndex
CREATE UNIQUE INDEX "person_wecom_user_id_key" ON "person"("wecom_user_id");

-- CreateIndex
CREATE UNIQUE INDEX "person_dingtalk_user_id_key" ON "person"("dingtalk_user_id");

-- CreateIndex
CREATE UNIQUE INDEX "person_console_id_key" ON "person"("console_id");

-- CreateIndex
CREATE INDEX "person_unit_code_idx" ON "person"("unit_code");

-- CreateIndex
CREATE UNIQUE INDEX "chat_group_platform_chat_id_key" ON "chat_group"("platform", "chat_id");

-- CreateIndex
CREATE UNIQUE INDEX "plan_doc_no_key" ON "plan"("doc_no");

-- CreateIndex
CREATE UNIQUE INDEX "task_plan_id_seq_key" ON "task"("plan_id", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "milestone_task_id_ordinal_key" ON "milestone"("task_id", "ordinal");

-- CreateIndex
CREATE UNIQUE INDEX "service_item_plan_id_unit_code_annex_name_key" ON "service_item"("plan_id", "unit_code", "annex", "name");

-- CreateIndex
CREATE INDEX "ticket_unit_code_status_idx" ON "ticket"("unit_code", "status");

-- CreateIndex
CREATE INDEX "ticket_status_due_idx" ON "ticket"("status", "due");

-- CreateIndex
CREATE UNIQUE INDEX "ticket_milestone_id_unit_code_key" ON "ticket"("milestone_id", "unit_code");

-- CreateIndex
CREATE INDEX "ticket_event_ticket_id_id_idx" ON "ticket_event"("ticket_id", "id");

-- CreateIndex
CREATE INDEX "ticket_event_created_at_idx" ON "ticket_event"("created_at");

-- CreateIndex
CREATE INDEX "progress_report_ticket_id_id_idx" ON "progress_report"("ticket_id", "id");

-- CreateIndex
CREATE INDEX "evidence_sha256_idx" ON "evidence"("sha256");

-- CreateIndex
CREATE UNIQUE INDEX "evidence_ticket_id_sha256_key" ON "evidence"("ticket_id", "sha256");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_message_idempotency_key_key" ON "outbox_message"("idempotency_key");

-- CreateIndex
CREATE INDEX "outbox_message_status_next_attempt_at_idx" ON "outbox_message"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "inbound_event_processed_at_idx" ON "inbound_event"("processed_at");

-- CreateIndex
CREATE UNIQUE INDEX "digest_kind_period_group_id_key" ON "digest"("kind", "period", "group_id");

-- AddForeignKey
ALTER TABLE "person" ADD CONSTRAINT "person_unit_code_fkey" FOREIGN KEY ("unit_code") REFERENCES "unit"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chat_group" ADD CONSTRAINT "chat_group_unit_code_fkey" FOREIGN KEY ("unit_code") REFERENCES "unit"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "task" ADD CONSTRAINT "task_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "plan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "milestone" ADD CONSTRAINT "milestone_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "task"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "service_item" ADD CONSTRAINT "service_item_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "plan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "service_item" ADD CONSTRAINT "service_item_unit_code_fkey" FOREIGN KEY ("unit_code") REFERENCES "unit"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ticket" ADD CONSTRAINT "ticket_milestone_id_fkey" FOREIGN KEY ("milestone_id") REFERENCES "milestone"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ticket" ADD CONSTRAINT "ticket_unit_code_fkey" FOREIGN KEY ("unit_code") REFERENCES "unit"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ticket" ADD CONSTRAINT "ticket_assignee_id_fkey" FOREIGN KEY ("assignee_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ticket_event" ADD CONSTRAINT "ticket_event_ticket_id_fkey" FOREIGN KEY ("ticket_id") REFERENCES "ticket"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "progress_report" ADD CONSTRAINT "progress_report_ticket_id_fkey" FOREIGN KEY ("ticket_id") REFERENCES "ticket"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_ticket_id_fkey" FOREIGN KEY ("ticket_id") REFERENCES "ticket"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
