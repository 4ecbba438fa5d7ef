-- The daily totals gain the field of education; they are rebuilt from the postings on the next refresh.
DELETE FROM "ledger_daily";--> statement-breakpoint
DELETE FROM "ledger_daily_state";--> statement-breakpoint
ALTER TABLE "ledger_daily" DROP CONSTRAINT "ledger_daily_day_institution_id_cause_type_kind_from_state_to_state_unit_pk";--> statement-breakpoint
ALTER TABLE "ledger_daily" ADD COLUMN "field" text NOT NULL;--> statement-breakpoint
ALTER TABLE "ledger_daily" ADD CONSTRAINT "ledger_daily_day_institution_id_field_cause_type_kind_from_state_to_state_unit_pk" PRIMARY KEY("day","institution_id","field","cause_type","kind","from_state","to_state","unit");
