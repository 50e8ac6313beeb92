import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const ts = (name: string) => timestamp(name, { withTimezone: true });

export type UserKind = "human" | "api_account";
export type UserStatus = "active" | "disabled";

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind").$type<UserKind>().notNull(),
    username: text("username").notNull(),
    email: text("email"),
    name: text("name").notNull(),
    passwordHash: text("password_hash"),
    mustChangePassword: boolean("must_change_password").notNull().default(false),
    isOrgAdmin: boolean("is_org_admin").notNull().default(false),
    apiAccess: boolean("api_access").notNull().default(false),
    status: text("status").$type<UserStatus>().notNull().default("active"),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    lastLoginAt: ts("last_login_at"),
    lastActiveAt: ts("last_active_at"),
    /**
     * What the Users table's search matches, lowercased once on write: a plain LIKE over one
     * stored column is several times cheaper than ILIKE over three, and one trigram index serves it.
     */
    searchText: text("search_text")
      .notNull()
      .generatedAlwaysAs(sql`lower(name || ' ' || username || ' ' || coalesce(email, ''))`),
  },
  (t) => [
    uniqueIndex("users_username_key").on(t.username),
    uniqueIndex("users_email_key").on(t.email),
    index("users_created_at_idx").on(t.createdAt, t.id),
    // The Users table sorts by name whatever its case. `name` rides along so that the page's ids are
    // an index-only walk (Postgres reads the table for an expression index without its column).
    index("users_name_idx").on(sql`lower(${t.name})`, t.id, t.name),
    index("users_kind_status_idx").on(t.kind, t.status),
    index("users_org_admin_idx").on(t.isOrgAdmin).where(sql`${t.isOrgAdmin}`),
    // "Never active" sorts as the oldest, so both directions of the Users table walk one index.
    index("users_last_active_idx").on(sql`coalesce(${t.lastActiveAt}, '-infinity'::timestamptz)`, t.id),
    // Substring search (LIKE '%q%') in Global Administration > Users; needs pg_trgm (migration 0002).
    index("users_search_trgm_idx").using("gin", t.searchText.op("gin_trgm_ops")),
  ],
);

export const projects = pgTable(
  "projects",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    createdAt: createdAt(),
  },
  // Lists sort by lower(name), and a new name is checked against lower(name).
  (t) => [uniqueIndex("projects_slug_key").on(t.slug), index("projects_name_idx").on(sql`lower(${t.name})`)],
);

export const roles = pgTable(
  "roles",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    permissions: text("permissions").array().notNull().default(sql`'{}'::text[]`),
    builtIn: boolean("built_in").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("roles_name_key").on(sql`lower(${t.name})`)],
);

export const memberships = pgTable(
  "memberships",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    roleId: uuid("role_id")
      .notNull()
      .references(() => roles.id, { onDelete: "restrict" }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.projectId] }),
    index("memberships_project_idx").on(t.projectId),
    index("memberships_role_idx").on(t.roleId),
  ],
);

export type KeyKind = "pat" | "sa";
/** A key limited to some projects, each with a role no greater than the owner's own there. */
export type KeyRestriction = { projectId: string; roleId: string }[];

export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind").$type<KeyKind>().notNull(),
    name: text("name").notNull(),
    /** SHA-256 of the full key (hex): the only way a key is found. */
    hash: text("hash").notNull(),
    start: text("start").notNull(),
    lastFour: text("last_four").notNull(),
    restriction: jsonb("restriction").$type<KeyRestriction>(),
    /** Days the key lives, kept so that rotation gives the new key the same policy; null = no expiration. */
    expiresInDays: integer("expires_in_days"),
    createdAt: createdAt(),
    createdById: uuid("created_by_id"),
    /** The key that made this one through the API: revoking it revokes this one (a leaked key leaves nothing behind). */
    createdByKeyId: uuid("created_by_key_id"),
    expiresAt: ts("expires_at"),
    lastUsedAt: ts("last_used_at"),
    lastUsedIp: text("last_used_ip"),
    revokedAt: ts("revoked_at"),
    revokedById: uuid("revoked_by_id"),
    revokedReason: text("revoked_reason"),
    replacedById: uuid("replaced_by_id"),
    graceExpiresAt: ts("grace_expires_at"),
    /** API-account keys only: AES-256-GCM under a key derived from AUTH_SECRET, for "Show API Key". */
    encryptedSecret: text("encrypted_secret"),
  },
  (t) => [
    uniqueIndex("api_keys_hash_key").on(t.hash),
    uniqueIndex("api_keys_owner_name_live_key")
      .on(t.ownerId, t.name)
      .where(sql`${t.revokedAt} is null and ${t.replacedById} is null`),
    index("api_keys_owner_idx").on(t.ownerId, t.createdAt),
    index("api_keys_expires_idx").on(t.expiresAt).where(sql`${t.revokedAt} is null`),
    index("api_keys_created_by_key_idx").on(t.createdByKeyId).where(sql`${t.createdByKeyId} is not null`),
    // Global Administration > API Keys: its default order (newest first) and its sort by name walk these.
    index("api_keys_created_idx").on(t.createdAt, t.id),
    index("api_keys_name_idx").on(sql`lower(${t.name})`, t.id),
    // Its search: part of a key's name or start (LIKE '%q%'), with pg_trgm (migration 0002).
    index("api_keys_name_trgm_idx").using("gin", sql`lower(${t.name}) gin_trgm_ops`),
    index("api_keys_start_trgm_idx").using("gin", t.start.op("gin_trgm_ops")),
  ],
);

export const apiKeyUsageDaily = pgTable(
  "api_key_usage_daily",
  {
    keyId: uuid("key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    day: date("day").notNull(),
    accepted: integer("accepted").notNull().default(0),
    refused: integer("refused").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.day] }), index("api_key_usage_day_idx").on(t.day)],
);

export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: ts("at").notNull().defaultNow(),
    actorId: uuid("actor_id"),
    actorLabel: text("actor_label").notNull(),
    actorKeyId: uuid("actor_key_id"),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    targetLabel: text("target_label"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    details: jsonb("details").$type<Record<string, unknown>>(),
  },
  (t) => [
    index("audit_events_at_idx").on(t.at),
    index("audit_events_actor_idx").on(t.actorId, t.at),
    index("audit_events_action_idx").on(t.action, t.at),
    index("audit_events_ip_idx").on(t.ip, t.at),
  ],
);

/**
 * One row per console sign-in; the session cookie names its row (`sid`). Signing out deletes it,
 * so a copied cookie stops working; rows also end at `expires_at` (SESSION_MAX_AGE after sign-in).
 */
export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: ts("expires_at").notNull(),
    ip: text("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user_idx").on(t.userId), index("sessions_expires_idx").on(t.expiresAt)],
);

/**
 * The organization's key policy: one row (id is always true), changed only in
 * Global Administration > Key policy. Key creation reads it in its own
 * transaction, so every instance applies the policy that is committed.
 * Null limits mean "no limit". The defaults are DEFAULT_KEY_POLICY's
 * (lib/keys/key-policy.ts), which lib/db may not import.
 */
export const keyPolicy = pgTable("key_policy", {
  id: boolean("id").primaryKey().default(true),
  maxLifetimeDays: integer("max_lifetime_days"),
  allowNoExpiry: boolean("allow_no_expiry").notNull().default(true),
  defaultExpiryDays: integer("default_expiry_days").notNull().default(90),
  maxGraceSeconds: integer("max_grace_seconds").notNull().default(604_800),
  maxAccountKeyLifetimeDays: integer("max_account_key_lifetime_days"),
  updatedAt: ts("updated_at").notNull().defaultNow(),
  updatedById: uuid("updated_by_id"),
});
