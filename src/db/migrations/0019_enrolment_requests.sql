CREATE INDEX "identity_conflicts_learner_idx" ON "identity_conflicts" USING btree ("existing_learner_id","status");--> statement-breakpoint
CREATE INDEX "identity_conflicts_institution_idx" ON "identity_conflicts" USING btree ("institution_id","created_at");
