CREATE TABLE "audit_exceptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"learner_id" uuid NOT NULL,
	"programme_id" uuid NOT NULL,
	"node_id" text NOT NULL,
	"kind" text NOT NULL,
	"item_id" text,
	"course_code" text,
	"reason" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_by" uuid,
	"revoked_at" timestamp with time zone,
	"revoke_reason" text,
	CONSTRAINT "audit_exceptions_kind_check" CHECK (("audit_exceptions"."kind" = 'substitute') = ("audit_exceptions"."item_id" is not null and "audit_exceptions"."course_code" is not null))
);
--> statement-breakpoint
CREATE TABLE "awards" (
	"learner_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"programme_id" uuid NOT NULL,
	"catalogue_year" integer NOT NULL,
	"status" text DEFAULT 'applied' NOT NULL,
	"credits" numeric(10, 2) NOT NULL,
	"unit" text NOT NULL,
	"items" jsonb NOT NULL,
	"audit" jsonb NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"reason" text,
	CONSTRAINT "awards_learner_id_id_pk" PRIMARY KEY("learner_id","id")
);
--> statement-breakpoint
CREATE TABLE "programme_requirements" (
	"programme_id" uuid NOT NULL,
	"catalogue_year" integer NOT NULL,
	"requirements" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "programme_requirements_programme_id_catalogue_year_pk" PRIMARY KEY("programme_id","catalogue_year"),
	CONSTRAINT "programme_requirements_year_check" CHECK ("programme_requirements"."catalogue_year" between 1950 and 2100)
);
--> statement-breakpoint
ALTER TABLE "audit_exceptions" ADD CONSTRAINT "audit_exceptions_learner_id_learners_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."learners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_exceptions" ADD CONSTRAINT "audit_exceptions_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_exceptions" ADD CONSTRAINT "audit_exceptions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_exceptions" ADD CONSTRAINT "audit_exceptions_revoked_by_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "awards" ADD CONSTRAINT "awards_learner_id_learners_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."learners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "awards" ADD CONSTRAINT "awards_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "awards" ADD CONSTRAINT "awards_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_requirements" ADD CONSTRAINT "programme_requirements_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_requirements" ADD CONSTRAINT "programme_requirements_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_exceptions_learner_idx" ON "audit_exceptions" USING btree ("learner_id","programme_id");--> statement-breakpoint
CREATE UNIQUE INDEX "awards_id_key" ON "awards" USING btree ("id");--> statement-breakpoint
CREATE UNIQUE INDEX "awards_live_key" ON "awards" USING btree ("learner_id","programme_id") WHERE "awards"."status" in ('applied','approved');--> statement-breakpoint
CREATE INDEX "awards_queue_idx" ON "awards" USING btree ("programme_id","status","applied_at");