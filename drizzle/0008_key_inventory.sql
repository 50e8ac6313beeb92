CREATE INDEX "api_keys_created_idx" ON "api_keys" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "api_keys_name_idx" ON "api_keys" USING btree (lower("name"),"id");--> statement-breakpoint
CREATE INDEX "api_keys_name_trgm_idx" ON "api_keys" USING gin (lower("name") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "api_keys_start_trgm_idx" ON "api_keys" USING gin ("start" gin_trgm_ops);