CREATE TABLE "log_checkpoints" (
	"size" bigint PRIMARY KEY NOT NULL,
	"root" "bytea" NOT NULL,
	"note" text NOT NULL,
	"frontier" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "log_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"ref" text NOT NULL,
	"payload" text NOT NULL,
	"idx" bigint,
	"leaf_hash" "bytea",
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "log_entries_idx_key" ON "log_entries" USING btree ("idx");--> statement-breakpoint
CREATE INDEX "log_entries_unsequenced_idx" ON "log_entries" USING btree ("id") WHERE "log_entries"."idx" is null;--> statement-breakpoint
CREATE INDEX "log_entries_ref_idx" ON "log_entries" USING btree ("kind","ref");