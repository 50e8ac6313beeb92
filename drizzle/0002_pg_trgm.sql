-- Substring search over 100,000 users (name, username, email ILIKE '%q%') needs trigram GIN
-- indexes. pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
-- PGlite loads it from @electric-sql/pglite/contrib/pg_trgm (see lib/db/client.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
