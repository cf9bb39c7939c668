-- CreateEnum
CREATE TYPE "ProblemGrade" AS ENUM ('GENERAL', 'SERIOUS', 'SEVERE');

-- CreateEnum
CREATE TYPE "ProblemStatus" AS ENUM ('PENDING_ROUTE', 'ROUTED', 'CLOSED', 'DISMISSED');

-- AlterTable
ALTER TABLE "ticket" ADD COLUMN     "problem_id" INTEGER;

-- CreateTable
CREATE TABLE "user_account" (
    "id" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "unit_code" TEXT,
    "person_id" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "failed_logins" INTEGER NOT NULL DEFAULT 0,
    "locked_until" TIMESTAMP(3),
    "last_login_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "user_account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "web_session" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "csrf_token" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "last_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "web_session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "plan_decision" (
    "id" SERIAL NOT NULL,
    "task_id" TEXT NOT NULL,
    "phrase" TEXT NOT NULL,
    "unit_codes" TEXT NOT NULL,
    "note" TEXT,
    "decided_by" TEXT NOT NULL,
    "decided_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "plan_decision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "return_submission" (
    "id" SERIAL NOT NULL,
    "annex" INTEGER NOT NULL,
    "unit_code" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "file_name" TEXT,
    "row_count" INTEGER NOT NULL,
    "violation_count" INTEGER NOT NULL,
    "submitted_by" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "return_submission_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "return_row" (
    "id" SERIAL NOT NULL,
    "submission_id" INTEGER NOT NULL,
    "row_no" INTEGER NOT NULL,
    "data" TEXT NOT NULL,
    "violations" TEXT NOT NULL DEFAULT '[]',

    CONSTRAINT "return_row_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "problem_source" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "api_key_hash" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "problem_source_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "problem" (
    "id" SERIAL NOT NULL,
    "source_code" TEXT NOT NULL,
    "source_ref" TEXT NOT NULL,
    "service_name" TEXT,
    "description" TEXT NOT NULL,
    "reporter_contact" TEXT,
    "grade" "ProblemGrade" NOT NULL,
    "grade_reason" TEXT NOT NULL,
    "unit_code" TEXT,
    "route_confidence" DOUBLE PRECISION NOT NULL,
    "route_reason" TEXT NOT NULL,
    "status" "ProblemStatus" NOT NULL,
    "attachments" TEXT NOT NULL DEFAULT '[]',
    "reported_at" TIMESTAMP(3) NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closed_at" TIMESTAMP(3),

    CONSTRAINT "problem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "problem_feedback" (
    "id" SERIAL NOT NULL,
    "problem_id" INTEGER NOT NULL,
    "stage" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "problem_feedback_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "grading_rule" (
    "id" SERIAL NOT NULL,
    "grade" "ProblemGrade" NOT NULL,
    "source_code" TEXT,
    "keyword" TEXT,
    "min_repeats" INTEGER,
    "window_days" INTEGER,
    "note" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "grading_rule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "problem_sla" (
    "grade" "ProblemGrade" NOT NULL,
    "workdays" INTEGER NOT NULL,

    CONSTRAINT "problem_sla_pkey" PRIMARY KEY ("grade")
);

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

-- CreateIndex
CREATE UNIQUE INDEX "ticket_problem_id_key" ON "ticket"("problem_id");

-- AddForeignKey
ALTER TABLE "ticket" ADD CONSTRAINT "ticket_problem_id_fkey" FOREIGN KEY ("problem_id") REFERENCES "problem"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "web_session" ADD CONSTRAINT "web_session_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user_account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "return_row" ADD CONSTRAINT "return_row_submission_id_fkey" FOREIGN KEY ("submission_id") REFERENCES "return_submission"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "problem_feedback" ADD CONSTRAINT "problem_feedback_problem_id_fkey" FOREIGN KEY ("problem_id") REFERENCES "problem"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
