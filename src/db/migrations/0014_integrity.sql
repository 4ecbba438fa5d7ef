CREATE TABLE "credit_uses" (
	"learner_id" uuid NOT NULL,
	"credit" text NOT NULL,
	"use_type" text NOT NULL,
	"use_id" text NOT NULL,
	"institution_id" uuid NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	"end_reason" text,
	CONSTRAINT "credit_uses_learner_id_credit_use_type_use_id_pk" PRIMARY KEY("learner_id","credit","use_type","use_id")
);
--> statement-breakpoint
ALTER TABLE "agreements" DROP CONSTRAINT "agreements_dates_check";--> statement-breakpoint
ALTER TABLE "equivalences" DROP CONSTRAINT "equivalences_dates_check";--> statement-breakpoint
ALTER TABLE "transfer_lines" DROP CONSTRAINT "transfer_lines_decided_check";--> statement-breakpoint
-- an equivalence's dates are inclusive from now on: a version replaced by another ended on the day its
-- successor began (exclusive); it now ends the day before, so that exactly one is in force each day
UPDATE "equivalences" o SET "effective_to" = o.effective_to - 1
WHERE EXISTS (SELECT 1 FROM "equivalences" n WHERE n.replaces = o.id AND n.effective_from = o.effective_to);--> statement-breakpoint
DROP INDEX "log_entries_ref_idx";--> statement-breakpoint
DROP INDEX "log_entries_unsequenced_idx";--> statement-breakpoint
ALTER TABLE "idempotency_keys" ALTER COLUMN "status_code" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ALTER COLUMN "body" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD COLUMN "state" text DEFAULT 'running' NOT NULL;--> statement-breakpoint
UPDATE "idempotency_keys" SET "state" = 'done';--> statement-breakpoint
ALTER TABLE "log_entries" ADD COLUMN "rejected" text;--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN "heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "outcomes" ADD COLUMN "counted" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- each course's credits are held by the first recorded attempt that passed
UPDATE "outcomes" o SET "counted" = true
FROM (SELECT DISTINCT ON (learner_id, course_id) learner_id, id FROM "outcomes" WHERE status = 'recorded' AND passed ORDER BY learner_id, course_id, completed_on, created_at) f
WHERE o.learner_id = f.learner_id AND o.id = f.id;--> statement-breakpoint
ALTER TABLE "credit_uses" ADD CONSTRAINT "credit_uses_learner_id_learners_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."learners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_uses" ADD CONSTRAINT "credit_uses_institution_id_institutions_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "credit_uses_live_key" ON "credit_uses" USING btree ("learner_id","credit") WHERE "credit_uses"."ended_at" is null;--> statement-breakpoint
CREATE INDEX "credit_uses_use_idx" ON "credit_uses" USING btree ("learner_id","use_type","use_id");--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_idx" ON "idempotency_keys" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "log_entries_ref_key" ON "log_entries" USING btree ("kind","ref");--> statement-breakpoint
CREATE UNIQUE INDEX "outcomes_counted_key" ON "outcomes" USING btree ("learner_id","course_id") WHERE "outcomes"."counted" and "outcomes"."status" = 'recorded';--> statement-breakpoint
CREATE INDEX "log_entries_unsequenced_idx" ON "log_entries" USING btree ("id") WHERE "log_entries"."idx" is null and "log_entries"."rejected" is null;--> statement-breakpoint
ALTER TABLE "outcomes" ADD CONSTRAINT "outcomes_counted_check" CHECK (not "outcomes"."counted" or "outcomes"."passed");--> statement-breakpoint
ALTER TABLE "agreements" ADD CONSTRAINT "agreements_dates_check" CHECK ("agreements"."valid_to" is null or "agreements"."valid_to" >= "agreements"."valid_from");--> statement-breakpoint
ALTER TABLE "equivalences" ADD CONSTRAINT "equivalences_dates_check" CHECK ("equivalences"."effective_to" is null or "equivalences"."effective_to" >= "equivalences"."effective_from");--> statement-breakpoint
ALTER TABLE "transfer_lines" ADD CONSTRAINT "transfer_lines_decided_check" CHECK ("transfer_lines"."status" not in ('accepted','substituted') or "transfer_lines"."credits" is not null);--> statement-breakpoint
-- the live uses so far: transfer lines still pending or granted, then approved awards (the earliest use of a credit wins)
INSERT INTO "credit_uses" (learner_id, credit, use_type, use_id, institution_id, started_at)
SELECT l.learner_id, 'course:' || o.course_id, 'transfer', l.application_id || ':' || l.line_no, l.target_institution_id, a.created_at
FROM "transfer_lines" l JOIN "transfer_applications" a ON a.learner_id = l.learner_id AND a.id = l.application_id
JOIN "outcomes" o ON o.learner_id = l.learner_id AND o.id = l.outcome_id
WHERE l.status IN ('pending', 'accepted', 'substituted')
ORDER BY a.created_at, l.line_no
ON CONFLICT DO NOTHING;--> statement-breakpoint
INSERT INTO "credit_uses" (learner_id, credit, use_type, use_id, institution_id, started_at)
SELECT w.learner_id, CASE WHEN i.item LIKE 'outcome:%' THEN 'course:' || o.course_id ELSE i.item END, 'award', w.id::text, p.institution_id, w.decided_at
FROM "awards" w JOIN "programmes" p ON p.id = w.programme_id
CROSS JOIN LATERAL jsonb_array_elements_text(w.items) AS i(item)
LEFT JOIN "outcomes" o ON i.item LIKE 'outcome:%' AND o.learner_id = w.learner_id AND o.id::text = substr(i.item, 9)
WHERE w.status = 'approved' AND (i.item NOT LIKE 'outcome:%' OR o.id IS NOT NULL)
ORDER BY w.decided_at
ON CONFLICT DO NOTHING;--> statement-breakpoint
-- award decisions are logged from now on; those made before are appended now (the text is the one awardPayload writes)
INSERT INTO "log_entries" (kind, ref, payload)
SELECT 'award', w.id || ':' || d.status,
  '{"type":"award.decision","awardId":' || to_json(w.id::text)::text || ',"learnerId":' || to_json(w.learner_id::text)::text
  || ',"programmeId":' || to_json(w.programme_id::text)::text || ',"catalogueYear":' || w.catalogue_year
  || ',"credits":' || to_json(trim_scale(w.credits)::text)::text || ',"unit":' || to_json(w.unit)::text || ',"status":"' || d.status || '"}'
FROM "awards" w
JOIN (VALUES ('approved', 'approved', 1), ('withdrawn', 'approved', 1), ('withdrawn', 'withdrawn', 2), ('rejected', 'rejected', 1)) AS d(award_status, status, n) ON d.award_status = w.status
ORDER BY w.decided_at, w.id, d.n;
--> statement-breakpoint
-- identity merges are logged from now on; those decided before are appended now (the text is the one identityMergePayload writes)
INSERT INTO "log_entries" (kind, ref, payload)
SELECT 'identity_merge', c.id::text,
  '{"type":"identity.merge","conflictId":' || to_json(c.id::text)::text || ',"learnerId":' || to_json(c.existing_learner_id::text)::text
  || ',"institutionId":' || to_json(c.institution_id::text)::text || ',"externalId":' || coalesce(to_json(c.submitted->>'externalId')::text, 'null') || '}'
FROM "identity_conflicts" c WHERE c.status = 'same_person'
ORDER BY c.resolved_at, c.id;
