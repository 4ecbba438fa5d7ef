DROP INDEX "learners_identity_key";--> statement-breakpoint
ALTER TABLE "outcomes" ALTER COLUMN "grade" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "institutions" ADD COLUMN "exemption_earns_credit" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "learners" ADD COLUMN "id_country" text;--> statement-breakpoint
ALTER TABLE "learners" ADD COLUMN "id_type_name" text;--> statement-breakpoint
ALTER TABLE "outcomes" ADD COLUMN "result_status" text DEFAULT 'normal' NOT NULL;--> statement-breakpoint
-- passports recorded before the country was asked for: XXX is ICAO 9303's "unspecified"
UPDATE "learners" SET "id_country" = 'XXX' WHERE "id_type" = 'passport' AND "id_number" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "learners_identity_key" ON "learners" USING btree ("id_type",coalesce("id_country", ''),coalesce("id_type_name", ''),"id_number") WHERE "learners"."id_number" is not null;--> statement-breakpoint
ALTER TABLE "learners" ADD CONSTRAINT "learners_id_country_check" CHECK (("learners"."id_type" = 'passport') = ("learners"."id_country" is not null) or "learners"."id_number" is null);--> statement-breakpoint
ALTER TABLE "outcomes" ADD CONSTRAINT "outcomes_grade_check" CHECK ("outcomes"."grade" is not null or "outcomes"."result_status" not in ('normal', 'resit', 'retake'));--> statement-breakpoint
ALTER TABLE "outcomes" ADD CONSTRAINT "outcomes_ungraded_check" CHECK (not "outcomes"."passed" or "outcomes"."result_status" in ('normal', 'resit', 'retake', 'exempted', 'exam_exempted'));