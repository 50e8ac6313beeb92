-- Built-in roles: not deletable, usable in every project. Permissions are `resource:action`
-- strings; `*` matches everything, `documents:*` every action on documents, `*:read` reading anything.
INSERT INTO "roles" ("name", "description", "permissions", "built_in") VALUES
  ('Admin', 'Everything in the project, including verifying other keys.', ARRAY['*'], true),
  ('Editor', 'Read and change the project''s data.', ARRAY['*:read', '*:write'], true),
  ('Viewer', 'Read the project''s data.', ARRAY['*:read'], true)
ON CONFLICT DO NOTHING;
