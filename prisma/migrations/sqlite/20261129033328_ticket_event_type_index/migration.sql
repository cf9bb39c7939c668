-- CreateIndex
CREATE INDEX "ticket_event_type_ticket_id_idx" ON "ticket_event"("type", "ticket_id");
