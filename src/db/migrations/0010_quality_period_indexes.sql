CREATE INDEX "certification_events_at_idx" ON "certification_events" USING btree ("at");--> statement-breakpoint
CREATE INDEX "transfer_applications_created_idx" ON "transfer_applications" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "transfer_lines_decided_idx" ON "transfer_lines" USING btree ("decided_at");