DROP INDEX "log_entries_idx_key";--> statement-breakpoint
CREATE UNIQUE INDEX "log_entries_idx_key" ON "log_entries" USING btree ("idx") WHERE "log_entries"."idx" is not null;