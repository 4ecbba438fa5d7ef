CREATE TABLE "decision_ratings" (
	"learner_id" uuid NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"institution_id" uuid,
	"rating" integer NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "decision_ratings_learner_id_subject_type_subject_id_pk" PRIMARY KEY("learner_id","subject_type","subject_id"),
	CONSTRAINT "decision_ratings_rating_check" CHECK ("decision_ratings"."rating" between 1 and 5)
);
--> statement-breakpoint
ALTER TABLE "decision_ratings" ADD CONSTRAINT "decision_ratings_learner_id_learners_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."learners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision_ratings" ADD CONSTRAINT "decision_ratings_institution_id_institutions_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "decision_ratings_institution_idx" ON "decision_ratings" USING btree ("institution_id","updated_at");