CREATE TABLE "agreement_parties" (
	"agreement_id" uuid NOT NULL,
	"institution_id" uuid NOT NULL,
	"approved_by" uuid,
	"approved_at" timestamp with time zone,
	CONSTRAINT "agreement_parties_agreement_id_institution_id_pk" PRIMARY KEY("agreement_id","institution_id")
);
--> statement-breakpoint
CREATE TABLE "agreements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"title_zh" text NOT NULL,
	"title_en" text NOT NULL,
	"kind" text NOT NULL,
	"isced_scope" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"programme_scope" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"cap_credits" numeric(10, 2),
	"ratio_from" uuid,
	"ratio_num" integer,
	"ratio_den" integer,
	"rounding" jsonb DEFAULT '{"mode":"half_up","step":50}'::jsonb NOT NULL,
	"grade_method" text DEFAULT 'table' NOT NULL,
	"grade_tables" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"grade_policy" text DEFAULT 'largest-overlap' NOT NULL,
	"status" text DEFAULT 'proposed' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agreements_dates_check" CHECK ("agreements"."valid_to" is null or "agreements"."valid_to" > "agreements"."valid_from"),
	CONSTRAINT "agreements_ratio_check" CHECK (("agreements"."ratio_num" is null) = ("agreements"."ratio_den" is null) and ("agreements"."ratio_num" is null) = ("agreements"."ratio_from" is null) and ("agreements"."ratio_num" is null or ("agreements"."ratio_num" > 0 and "agreements"."ratio_den" > 0)))
);
--> statement-breakpoint
CREATE TABLE "equivalences" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source_institution_id" uuid NOT NULL,
	"target_institution_id" uuid NOT NULL,
	"source_course_ids" jsonb NOT NULL,
	"target" jsonb NOT NULL,
	"min_grade" text,
	"max_years" integer,
	"effective_from" date NOT NULL,
	"effective_to" date,
	"public_note" text DEFAULT '' NOT NULL,
	"private_note" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"replaces" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "equivalences_dates_check" CHECK ("equivalences"."effective_to" is null or "equivalences"."effective_to" > "equivalences"."effective_from")
);
--> statement-breakpoint
CREATE TABLE "evaluation_tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source_course_id" uuid NOT NULL,
	"target_institution_id" uuid NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"equivalence_id" uuid,
	"reason" text,
	"requested_by" uuid,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grading_tables" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"institution_id" uuid NOT NULL,
	"isced_code" text NOT NULL,
	"cycle" text NOT NULL,
	"from_year" integer NOT NULL,
	"to_year" integer NOT NULL,
	"grades" jsonb NOT NULL,
	"total" integer NOT NULL,
	"created_by" uuid,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "grading_tables_years_check" CHECK ("grading_tables"."to_year" - "grading_tables"."from_year" >= 1)
);
--> statement-breakpoint
CREATE TABLE "learning_agreement_versions" (
	"learner_id" uuid NOT NULL,
	"agreement_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"lines" jsonb NOT NULL,
	"proposed_by" uuid,
	"reason" text,
	"learner_accepted_at" timestamp with time zone,
	"home_accepted_by" uuid,
	"home_accepted_at" timestamp with time zone,
	"host_accepted_by" uuid,
	"host_accepted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "learning_agreement_versions_learner_id_agreement_id_version_pk" PRIMARY KEY("learner_id","agreement_id","version")
);
--> statement-breakpoint
CREATE TABLE "learning_agreements" (
	"learner_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"home_institution_id" uuid NOT NULL,
	"host_institution_id" uuid NOT NULL,
	"period_from" date NOT NULL,
	"period_to" date NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "learning_agreements_learner_id_id_pk" PRIMARY KEY("learner_id","id"),
	CONSTRAINT "learning_agreements_period_check" CHECK ("learning_agreements"."period_to" > "learning_agreements"."period_from")
);
--> statement-breakpoint
CREATE TABLE "transfer_applications" (
	"learner_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"target_institution_id" uuid NOT NULL,
	"programme_id" uuid,
	"status" text DEFAULT 'submitted' NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "transfer_applications_learner_id_id_pk" PRIMARY KEY("learner_id","id")
);
--> statement-breakpoint
CREATE TABLE "transfer_lines" (
	"learner_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"target_institution_id" uuid NOT NULL,
	"outcome_id" uuid NOT NULL,
	"source_institution_id" uuid NOT NULL,
	"source_credits" numeric(10, 2) NOT NULL,
	"source_unit" text NOT NULL,
	"proposal" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"target" jsonb,
	"credits" numeric(10, 2),
	"unit" text,
	"grade" text,
	"reason" text,
	"agreement_id" uuid,
	"equivalence_id" uuid,
	"decided_at" timestamp with time zone,
	CONSTRAINT "transfer_lines_learner_id_application_id_line_no_pk" PRIMARY KEY("learner_id","application_id","line_no"),
	CONSTRAINT "transfer_lines_decided_check" CHECK (("transfer_lines"."status" in ('accepted','substituted')) = ("transfer_lines"."credits" is not null))
);
--> statement-breakpoint
ALTER TABLE "agreement_parties" ADD CONSTRAINT "agreement_parties_agreement_id_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."agreements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreement_parties" ADD CONSTRAINT "agreement_parties_institution_id_institutions_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreement_parties" ADD CONSTRAINT "agreement_parties_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreements" ADD CONSTRAINT "agreements_ratio_from_institutions_id_fk" FOREIGN KEY ("ratio_from") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreements" ADD CONSTRAINT "agreements_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "equivalences" ADD CONSTRAINT "equivalences_source_institution_id_institutions_id_fk" FOREIGN KEY ("source_institution_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "equivalences" ADD CONSTRAINT "equivalences_target_institution_id_institutions_id_fk" FOREIGN KEY ("target_institution_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "equivalences" ADD CONSTRAINT "equivalences_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_tasks" ADD CONSTRAINT "evaluation_tasks_source_course_id_courses_id_fk" FOREIGN KEY ("source_course_id") REFERENCES "public"."courses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_tasks" ADD CONSTRAINT "evaluation_tasks_target_institution_id_institutions_id_fk" FOREIGN KEY ("target_institution_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_tasks" ADD CONSTRAINT "evaluation_tasks_equivalence_id_equivalences_id_fk" FOREIGN KEY ("equivalence_id") REFERENCES "public"."equivalences"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_tasks" ADD CONSTRAINT "evaluation_tasks_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_tasks" ADD CONSTRAINT "evaluation_tasks_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grading_tables" ADD CONSTRAINT "grading_tables_institution_id_institutions_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grading_tables" ADD CONSTRAINT "grading_tables_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learning_agreement_versions" ADD CONSTRAINT "learning_agreement_versions_proposed_by_users_id_fk" FOREIGN KEY ("proposed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learning_agreement_versions" ADD CONSTRAINT "learning_agreement_versions_home_accepted_by_users_id_fk" FOREIGN KEY ("home_accepted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learning_agreement_versions" ADD CONSTRAINT "learning_agreement_versions_host_accepted_by_users_id_fk" FOREIGN KEY ("host_accepted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learning_agreements" ADD CONSTRAINT "learning_agreements_learner_id_learners_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."learners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learning_agreements" ADD CONSTRAINT "learning_agreements_home_institution_id_institutions_id_fk" FOREIGN KEY ("home_institution_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learning_agreements" ADD CONSTRAINT "learning_agreements_host_institution_id_institutions_id_fk" FOREIGN KEY ("host_institution_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_applications" ADD CONSTRAINT "transfer_applications_learner_id_learners_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."learners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_applications" ADD CONSTRAINT "transfer_applications_target_institution_id_institutions_id_fk" FOREIGN KEY ("target_institution_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_applications" ADD CONSTRAINT "transfer_applications_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_applications" ADD CONSTRAINT "transfer_applications_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_lines" ADD CONSTRAINT "transfer_lines_target_institution_id_institutions_id_fk" FOREIGN KEY ("target_institution_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_lines" ADD CONSTRAINT "transfer_lines_source_institution_id_institutions_id_fk" FOREIGN KEY ("source_institution_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_lines" ADD CONSTRAINT "transfer_lines_agreement_id_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."agreements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agreement_parties_institution_idx" ON "agreement_parties" USING btree ("institution_id");--> statement-breakpoint
CREATE UNIQUE INDEX "agreements_code_key" ON "agreements" USING btree ("code");--> statement-breakpoint
CREATE INDEX "equivalences_pair_idx" ON "equivalences" USING btree ("target_institution_id","source_institution_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "evaluation_tasks_open_key" ON "evaluation_tasks" USING btree ("source_course_id","target_institution_id") WHERE "evaluation_tasks"."status" = 'open';--> statement-breakpoint
CREATE INDEX "evaluation_tasks_queue_idx" ON "evaluation_tasks" USING btree ("target_institution_id","status","created_at");--> statement-breakpoint
CREATE INDEX "grading_tables_group_idx" ON "grading_tables" USING btree ("institution_id","isced_code","cycle","published_at");--> statement-breakpoint
CREATE UNIQUE INDEX "learning_agreements_id_key" ON "learning_agreements" USING btree ("id");--> statement-breakpoint
CREATE UNIQUE INDEX "transfer_applications_id_key" ON "transfer_applications" USING btree ("id");--> statement-breakpoint
CREATE INDEX "transfer_applications_queue_idx" ON "transfer_applications" USING btree ("target_institution_id","status","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "transfer_lines_credit_key" ON "transfer_lines" USING btree ("learner_id","target_institution_id","outcome_id") WHERE "transfer_lines"."status" in ('pending','accepted','substituted');