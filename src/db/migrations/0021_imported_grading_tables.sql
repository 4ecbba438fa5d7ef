ALTER TABLE "grading_tables" ALTER COLUMN "total" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "grading_tables" ADD COLUMN "source" text DEFAULT 'recorded' NOT NULL;--> statement-breakpoint
ALTER TABLE "grading_tables" ADD CONSTRAINT "grading_tables_source_check" CHECK ("grading_tables"."source" in ('recorded', 'ewp'));--> statement-breakpoint
ALTER TABLE "grading_tables" ADD CONSTRAINT "grading_tables_total_check" CHECK (("grading_tables"."source" = 'recorded') = ("grading_tables"."total" is not null));
