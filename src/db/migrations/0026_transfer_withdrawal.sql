ALTER TABLE "transfer_applications" ADD COLUMN "withdrawn_by" uuid;--> statement-breakpoint
ALTER TABLE "transfer_applications" ADD COLUMN "withdrawn_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "transfer_applications" ADD COLUMN "withdrawn_as" text;--> statement-breakpoint
ALTER TABLE "transfer_applications" ADD COLUMN "withdraw_reason" text;--> statement-breakpoint
ALTER TABLE "transfer_applications" ADD CONSTRAINT "transfer_applications_withdrawn_by_users_id_fk" FOREIGN KEY ("withdrawn_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_applications" ADD CONSTRAINT "transfer_applications_withdrawn_check" CHECK ("withdrawn_at" is null OR ("status" = 'withdrawn' AND "withdrawn_as" in ('learner','registrar') AND "withdraw_reason" is not null));
