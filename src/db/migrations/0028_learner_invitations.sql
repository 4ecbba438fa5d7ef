CREATE TABLE "learner_invitations" (
	"learner_id" uuid NOT NULL,
	"code_hash" text NOT NULL,
	"institution_id" uuid NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"mailed_to" text,
	"used_at" timestamp with time zone,
	"used_by" uuid,
	"replaced_at" timestamp with time zone,
	CONSTRAINT "learner_invitations_learner_id_code_hash_pk" PRIMARY KEY("learner_id","code_hash"),
	CONSTRAINT "learner_invitations_used_check" CHECK (("learner_invitations"."used_at" is null) = ("learner_invitations"."used_by" is null))
);
--> statement-breakpoint
ALTER TABLE "learner_invitations" ADD CONSTRAINT "learner_invitations_learner_id_learners_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."learners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learner_invitations" ADD CONSTRAINT "learner_invitations_institution_id_institutions_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learner_invitations" ADD CONSTRAINT "learner_invitations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learner_invitations" ADD CONSTRAINT "learner_invitations_used_by_users_id_fk" FOREIGN KEY ("used_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "learner_invitations_code_idx" ON "learner_invitations" USING btree ("code_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "learner_invitations_live_key" ON "learner_invitations" USING btree ("learner_id") WHERE "learner_invitations"."used_at" is null and "learner_invitations"."replaced_at" is null;
