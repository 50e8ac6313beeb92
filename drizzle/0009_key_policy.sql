CREATE TABLE "key_policy" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"max_lifetime_days" integer,
	"allow_no_expiry" boolean DEFAULT true NOT NULL,
	"default_expiry_days" integer DEFAULT 90 NOT NULL,
	"max_grace_seconds" integer DEFAULT 604800 NOT NULL,
	"max_account_key_lifetime_days" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by_id" uuid
);
--> statement-breakpoint
-- The one row, with today's behaviour (no limits, 90 days offered, grace up to 7 days): key creation locks it (FOR SHARE).
ALTER TABLE "key_policy" ADD CONSTRAINT "key_policy_one_row" CHECK ("id");--> statement-breakpoint
INSERT INTO "key_policy" ("id") VALUES (true) ON CONFLICT DO NOTHING;
