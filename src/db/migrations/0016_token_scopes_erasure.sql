ALTER TABLE "api_tokens" ADD COLUMN "expires_at" timestamp with time zone DEFAULT now() + interval '1 year' NOT NULL;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "scopes" text[] DEFAULT '{read,import}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "learners" ADD COLUMN "erased_at" timestamp with time zone;--> statement-breakpoint
-- Tokens issued before scopes acted as their institution's registrar in everything: they keep all three.
UPDATE "api_tokens" SET "scopes" = '{read,import,issue}'::text[];
