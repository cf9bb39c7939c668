-- CreateTable
CREATE TABLE "unit" (
    "code" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "aliases" TEXT NOT NULL DEFAULT '[]',
    "collective" BOOLEAN NOT NULL DEFAULT true,
    "sort_order" INTEGER NOT NULL DEFAULT 0,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "person" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "unit_code" TEXT,
    "wecom_user_id" TEXT,
    "dingtalk_user_id" TEXT,
    "console_id" TEXT,
    "title" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "person_unit_code_fkey" FOREIGN KEY ("unit_code") REFERENCES "unit" ("code") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "chat_group" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "chat_id" TEXT,
    "webhook_url" TEXT,
    "webhook_secret" TEXT,
    "purpose" TEXT NOT NULL,
    "unit_code" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "chat_group_unit_code_fkey" FOREIGN KEY ("unit_code") REFERENCES "unit" ("code") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "plan" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "doc_no" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "source_hash" TEXT NOT NULL,
    "source_text" TEXT NOT NULL,
    "loaded_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "task" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    CONSTRAINT "task_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "plan" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "milestone" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "task_id" TEXT NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "due" TEXT NOT NULL,
    "units" TEXT NOT NULL DEFAULT '[]',
    "unresolved" TEXT NOT NULL DEFAULT '[]',
    CONSTRAINT "milestone_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "task" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "service_item" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "plan_id" TEXT NOT NULL,
    "unit_code" TEXT NOT NULL,
    "annex" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    CONSTRAINT "service_item_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "plan" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "service_item_unit_code_fkey" FOREIGN KEY ("unit_code") REFERENCES "unit" ("code") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ticket" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL DEFAULT 'PLAN',
    "milestone_id" TEXT,
    "unit_code" TEXT NOT NULL,
    "assignee_id" TEXT,
    "title" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'ASSIGNED',
    "progress" INTEGER NOT NULL DEFAULT 0,
    "due" TEXT NOT NULL,
    "original_due" TEXT NOT NULL,
    "extension_due" TEXT,
    "extension_reason" TEXT,
    "urgent" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL DEFAULT 0,
    "accepted_at" DATETIME,
    "submitted_at" DATETIME,
    "done_at" DATETIME,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ticket_milestone_id_fkey" FOREIGN KEY ("milestone_id") REFERENCES "milestone" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "ticket_unit_code_fkey" FOREIGN KEY ("unit_code") REFERENCES "unit" ("code") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ticket_assignee_id_fkey" FOREIGN KEY ("assignee_id") REFERENCES "person" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ticket_event" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ticket_id" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "from_status" TEXT,
    "to_status" TEXT,
    "actor_id" TEXT,
    "actor_name" TEXT NOT NULL,
    "actor_role" TEXT NOT NULL,
    "note" TEXT,
    "data" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ticket_event_ticket_id_fkey" FOREIGN KEY ("ticket_id") REFERENCES "ticket" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "progress_report" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ticket_id" INTEGER NOT NULL,
    "percent" INTEGER NOT NULL,
    "note" TEXT,
    "reporter_id" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "progress_report_ticket_id_fkey" FOREIGN KEY ("ticket_id") REFERENCES "ticket" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "evidence" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ticket_id" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "mime" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "blob_path" TEXT NOT NULL,
    "uploader_id" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "evidence_ticket_id_fkey" FOREIGN KEY ("ticket_id") REFERENCES "ticket" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "outbox_message" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "idempotency_key" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_by" TEXT,
    "locked_until" DATETIME,
    "last_error" TEXT,
    "platform_message_id" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" DATETIME
);

-- CreateTable
CREATE TABLE "inbound_event" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "platform" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" TEXT,
    "received_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" DATETIME,
    "error" TEXT
);

-- CreateTable
CREATE TABLE "digest" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "group_id" TEXT NOT NULL,
    "late" BOOLEAN NOT NULL DEFAULT false,
    "content" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" DATETIME
);

-- CreateTable
CREATE TABLE "calendar_override" (
    "date" TEXT NOT NULL PRIMARY KEY,
    "workday" BOOLEAN NOT NULL,
    "note" TEXT,
    "created_by" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "job_lease" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "owner" TEXT NOT NULL,
    "lease_until" DATETIME NOT NULL,
    "last_run_at" DATETIME,
    "last_run_key" TEXT
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
