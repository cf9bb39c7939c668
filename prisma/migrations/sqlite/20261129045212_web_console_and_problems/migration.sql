-- CreateTable
CREATE TABLE "user_account" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "username" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "unit_code" TEXT,
    "person_id" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "failed_logins" INTEGER NOT NULL DEFAULT 0,
    "locked_until" DATETIME,
    "last_login_at" DATETIME,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "web_session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "user_id" TEXT NOT NULL,
    "csrf_token" TEXT NOT NULL,
    "expires_at" DATETIME NOT NULL,
    "last_seen_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "web_session_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user_account" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "plan_decision" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "task_id" TEXT NOT NULL,
    "phrase" TEXT NOT NULL,
    "unit_codes" TEXT NOT NULL,
    "note" TEXT,
    "decided_by" TEXT NOT NULL,
    "decided_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "return_submission" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "annex" INTEGER NOT NULL,
    "unit_code" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "file_name" TEXT,
    "row_count" INTEGER NOT NULL,
    "violation_count" INTEGER NOT NULL,
    "submitted_by" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "return_row" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "submission_id" INTEGER NOT NULL,
    "row_no" INTEGER NOT NULL,
    "data" TEXT NOT NULL,
    "violations" TEXT NOT NULL DEFAULT '[]',
    CONSTRAINT "return_row_submission_id_fkey" FOREIGN KEY ("submission_id") REFERENCES "return_submission" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "problem_source" (
    "code" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "api_key_hash" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "problem" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "source_code" TEXT NOT NULL,
    "source_ref" TEXT NOT NULL,
    "service_name" TEXT,
    "description" TEXT NOT NULL,
    "reporter_contact" TEXT,
    "grade" TEXT NOT NULL,
    "grade_reason" TEXT NOT NULL,
    "unit_code" TEXT,
    "route_confidence" REAL NOT NULL,
    "route_reason" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attachments" TEXT NOT NULL DEFAULT '[]',
    "reported_at" DATETIME NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closed_at" DATETIME
);

-- CreateTable
CREATE TABLE "problem_feedback" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "problem_id" INTEGER NOT NULL,
    "stage" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "problem_feedback_problem_id_fkey" FOREIGN KEY ("problem_id") REFERENCES "problem" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "grading_rule" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "grade" TEXT NOT NULL,
    "source_code" TEXT,
    "keyword" TEXT,
    "min_repeats" INTEGER,
    "window_days" INTEGER,
    "note" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "problem_sla" (
    "grade" TEXT NOT NULL PRIMARY KEY,
    "workdays" INTEGER NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ticket" (
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
    "problem_id" INTEGER,
    "disclaim_reason" TEXT,
    "disclaimed_at" DATETIME,
    "urgent" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL DEFAULT 0,
    "accepted_at" DATETIME,
    "submitted_at" DATETIME,
    "done_at" DATETIME,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ticket_milestone_id_fkey" FOREIGN KEY ("milestone_id") REFERENCES "milestone" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "ticket_unit_code_fkey" FOREIGN KEY ("unit_code") REFERENCES "unit" ("code") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ticket_assignee_id_fkey" FOREIGN KEY ("assignee_id") REFERENCES "person" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "ticket_problem_id_fkey" FOREIGN KEY ("problem_id") REFERENCES "problem" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_ticket" ("accepted_at", "assignee_id", "created_at", "disclaim_reason", "disclaimed_at", "done_at", "due", "extension_due", "extension_reason", "id", "kind", "milestone_id", "original_due", "progress", "status", "submitted_at", "title", "unit_code", "updated_at", "urgent", "version") SELECT "accepted_at", "assignee_id", "created_at", "disclaim_reason", "disclaimed_at", "done_at", "due", "extension_due", "extension_reason", "id", "kind", "milestone_id", "original_due", "progress", "status", "submitted_at", "title", "unit_code", "updated_at", "urgent", "version" FROM "ticket";
DROP TABLE "ticket";
ALTER TABLE "new_ticket" RENAME TO "ticket";
CREATE UNIQUE INDEX "ticket_problem_id_key" ON "ticket"("problem_id");
CREATE INDEX "ticket_unit_code_status_idx" ON "ticket"("unit_code", "status");
CREATE INDEX "ticket_status_due_idx" ON "ticket"("status", "due");
CREATE UNIQUE INDEX "ticket_milestone_id_unit_code_key" ON "ticket"("milestone_id", "unit_code");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "user_account_username_key" ON "user_account"("username");

-- CreateIndex
CREATE INDEX "web_session_user_id_idx" ON "web_session"("user_id");

-- CreateIndex
CREATE INDEX "web_session_expires_at_idx" ON "web_session"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "plan_decision_task_id_phrase_key" ON "plan_decision"("task_id", "phrase");

-- CreateIndex
CREATE INDEX "return_submission_annex_unit_code_id_idx" ON "return_submission"("annex", "unit_code", "id");

-- CreateIndex
CREATE INDEX "return_row_submission_id_row_no_idx" ON "return_row"("submission_id", "row_no");

-- CreateIndex
CREATE UNIQUE INDEX "problem_source_api_key_hash_key" ON "problem_source"("api_key_hash");

-- CreateIndex
CREATE INDEX "problem_status_unit_code_idx" ON "problem"("status", "unit_code");

-- CreateIndex
CREATE INDEX "problem_service_name_idx" ON "problem"("service_name");

-- CreateIndex
CREATE UNIQUE INDEX "problem_source_code_source_ref_key" ON "problem"("source_code", "source_ref");

-- CreateIndex
CREATE INDEX "problem_feedback_problem_id_id_idx" ON "problem_feedback"("problem_id", "id");
