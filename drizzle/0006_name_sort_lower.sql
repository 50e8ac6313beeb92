DROP INDEX "projects_name_idx";--> statement-breakpoint
DROP INDEX "users_name_idx";--> statement-breakpoint
CREATE INDEX "projects_name_idx" ON "projects" USING btree (lower("name"));--> statement-breakpoint
CREATE INDEX "users_name_idx" ON "users" USING btree (lower("name"),"id","name");