ALTER TABLE "credentials" ADD COLUMN "document_sha256" text;--> statement-breakpoint
CREATE INDEX "audit_events_actor_user_idx" ON "audit_events" USING btree ("actor_user_id","action","at") WHERE "audit_events"."actor_user_id" is not null;--> statement-breakpoint
CREATE INDEX "audit_events_actor_token_idx" ON "audit_events" USING btree ("actor_token_id","action","at") WHERE "audit_events"."actor_token_id" is not null;
