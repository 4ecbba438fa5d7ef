CREATE TABLE "application_evidence" (
	"learner_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"sha256" text NOT NULL,
	"filename" text NOT NULL,
	"label" text NOT NULL,
	"uploaded_by" uuid,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone,
	CONSTRAINT "application_evidence_learner_id_application_id_id_pk" PRIMARY KEY("learner_id","application_id","id")
);
--> statement-breakpoint
CREATE TABLE "bank_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "certification_applications" (
	"learner_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"standard_id" uuid,
	"outcome_kind" text NOT NULL,
	"title" text NOT NULL,
	"issuing_body" text NOT NULL,
	"certificate_no" text,
	"issued_on" date NOT NULL,
	"expires_on" date,
	"statement" text DEFAULT '' NOT NULL,
	"route" text NOT NULL,
	"institution_id" uuid,
	"level" integer,
	"isced_code" text,
	"credits_requested" numeric(10, 2),
	"credits_granted" numeric(10, 2),
	"unit" text DEFAULT 'credit' NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"decided_at" timestamp with time zone,
	"appealed" boolean DEFAULT false NOT NULL,
	"import_job_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "certification_applications_learner_id_id_pk" PRIMARY KEY("learner_id","id"),
	CONSTRAINT "certification_applications_route_check" CHECK (("certification_applications"."route" = 'reviewer') = ("certification_applications"."standard_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "certification_events" (
	"learner_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_user_id" uuid,
	"actor_role" text NOT NULL,
	"action" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"reason" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "certification_events_learner_id_application_id_seq_pk" PRIMARY KEY("learner_id","application_id","seq")
);
--> statement-breakpoint
CREATE TABLE "committee_votes" (
	"learner_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"stage" text NOT NULL,
	"round" integer NOT NULL,
	"voter_id" uuid NOT NULL,
	"decision" text NOT NULL,
	"credits" numeric(10, 2),
	"reason" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "committee_votes_learner_id_application_id_stage_round_voter_id_pk" PRIMARY KEY("learner_id","application_id","stage","round","voter_id")
);
--> statement-breakpoint
CREATE TABLE "conversion_standards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"version" integer NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"outcome_kind" text NOT NULL,
	"issuing_body" text NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"certificate_level" text DEFAULT '' NOT NULL,
	"framework_id" uuid NOT NULL,
	"level" integer NOT NULL,
	"isced_code" text NOT NULL,
	"credits" numeric(10, 2) NOT NULL,
	"unit" text DEFAULT 'credit' NOT NULL,
	"institution_id" uuid NOT NULL,
	"substitutes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"validity_months" integer,
	"cap_standard" numeric(10, 2),
	"cap_kind" numeric(10, 2),
	"cap_total" numeric(10, 2),
	"evidence" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"description_zh" text DEFAULT '' NOT NULL,
	"description_en" text DEFAULT '' NOT NULL,
	"effective_from" date NOT NULL,
	"effective_to" date,
	"created_by" uuid,
	"approved_by" uuid,
	"approved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conversion_standards_credits_check" CHECK ("conversion_standards"."credits" > 0),
	CONSTRAINT "conversion_standards_isced_check" CHECK ("conversion_standards"."isced_code" ~ '^[0-9]{2}([0-9]{1,2})?$'),
	CONSTRAINT "conversion_standards_dates_check" CHECK ("conversion_standards"."effective_to" is null or "conversion_standards"."effective_to" > "conversion_standards"."effective_from"),
	CONSTRAINT "conversion_standards_kind_check" CHECK ("conversion_standards"."outcome_kind" in ('vocational_certificate','skill_certificate','training','mooc','micro_credential','work_experience','award'))
);
--> statement-breakpoint
CREATE TABLE "evidence_blobs" (
	"sha256" text PRIMARY KEY NOT NULL,
	"media_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"content" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "framework_levels" (
	"framework_id" uuid NOT NULL,
	"level" integer NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"descriptor_zh" text DEFAULT '' NOT NULL,
	"descriptor_en" text DEFAULT '' NOT NULL,
	"eqf_level" integer NOT NULL,
	CONSTRAINT "framework_levels_framework_id_level_pk" PRIMARY KEY("framework_id","level"),
	CONSTRAINT "framework_levels_eqf_check" CHECK ("framework_levels"."eqf_level" between 1 and 8)
);
--> statement-breakpoint
CREATE TABLE "qualification_frameworks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "application_evidence" ADD CONSTRAINT "application_evidence_sha256_evidence_blobs_sha256_fk" FOREIGN KEY ("sha256") REFERENCES "public"."evidence_blobs"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_evidence" ADD CONSTRAINT "application_evidence_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bank_settings" ADD CONSTRAINT "bank_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certification_applications" ADD CONSTRAINT "certification_applications_learner_id_learners_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."learners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certification_applications" ADD CONSTRAINT "certification_applications_standard_id_conversion_standards_id_fk" FOREIGN KEY ("standard_id") REFERENCES "public"."conversion_standards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certification_applications" ADD CONSTRAINT "certification_applications_institution_id_institutions_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certification_applications" ADD CONSTRAINT "certification_applications_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certification_events" ADD CONSTRAINT "certification_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_votes" ADD CONSTRAINT "committee_votes_voter_id_users_id_fk" FOREIGN KEY ("voter_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversion_standards" ADD CONSTRAINT "conversion_standards_framework_id_qualification_frameworks_id_fk" FOREIGN KEY ("framework_id") REFERENCES "public"."qualification_frameworks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversion_standards" ADD CONSTRAINT "conversion_standards_institution_id_institutions_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversion_standards" ADD CONSTRAINT "conversion_standards_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversion_standards" ADD CONSTRAINT "conversion_standards_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "framework_levels" ADD CONSTRAINT "framework_levels_framework_id_qualification_frameworks_id_fk" FOREIGN KEY ("framework_id") REFERENCES "public"."qualification_frameworks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "application_evidence_id_key" ON "application_evidence" USING btree ("id");--> statement-breakpoint
CREATE UNIQUE INDEX "certification_applications_id_key" ON "certification_applications" USING btree ("id");--> statement-breakpoint
CREATE UNIQUE INDEX "certification_applications_certificate_key" ON "certification_applications" USING btree ("issuing_body","certificate_no") WHERE "certification_applications"."certificate_no" is not null and "certification_applications"."status" not in ('draft','rejected','withdrawn','revoked');--> statement-breakpoint
CREATE INDEX "certification_applications_queue_idx" ON "certification_applications" USING btree ("route","status","institution_id","updated_at");--> statement-breakpoint
CREATE UNIQUE INDEX "conversion_standards_version_key" ON "conversion_standards" USING btree ("code","version");--> statement-breakpoint
CREATE INDEX "conversion_standards_status_idx" ON "conversion_standards" USING btree ("status","outcome_kind");--> statement-breakpoint
CREATE UNIQUE INDEX "qualification_frameworks_code_key" ON "qualification_frameworks" USING btree ("code");