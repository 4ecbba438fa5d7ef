CREATE TABLE "ledger_daily" (
	"day" date NOT NULL,
	"institution_id" uuid NOT NULL,
	"cause_type" text NOT NULL,
	"kind" text NOT NULL,
	"from_state" text NOT NULL,
	"to_state" text NOT NULL,
	"unit" text NOT NULL,
	"postings" integer NOT NULL,
	"credits" numeric(14, 2) NOT NULL,
	CONSTRAINT "ledger_daily_day_institution_id_cause_type_kind_from_state_to_state_unit_pk" PRIMARY KEY("day","institution_id","cause_type","kind","from_state","to_state","unit")
);
--> statement-breakpoint
CREATE TABLE "ledger_daily_state" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"through_xact" bigint NOT NULL,
	"utc_offset" text NOT NULL,
	"refreshed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "quality_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"institution_id" uuid,
	"month" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"error" text,
	"pdf" "bytea",
	"xlsx" "bytea",
	"requested_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "ledger_postings" ADD COLUMN "xact" bigint DEFAULT (pg_current_xact_id()::text::bigint);--> statement-breakpoint
ALTER TABLE "quality_reports" ADD CONSTRAINT "quality_reports_institution_id_institutions_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quality_reports" ADD CONSTRAINT "quality_reports_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "quality_reports_scope_idx" ON "quality_reports" USING btree ("institution_id","month");--> statement-breakpoint
CREATE INDEX "ledger_postings_xact_idx" ON "ledger_postings" USING brin ("xact");