import { and, eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { listAuditEvents } from "@/lib/audit/list";
import { auditQuerySchema } from "@/lib/audit/schemas";
import { getDb } from "@/lib/db/client";
import { apiKeys, auditEvents, apiKeyUsageDaily, users } from "@/lib/db/schema";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { withFreshDatabase } from "@/lib/test/db";
import { addMember, builtInRole, makeProject, makeUser, TEST_CONTEXT } from "@/lib/test/fixtures";
import { createApiAccount, setUserStatus } from "@/lib/users/admin";
import { adminRevokeAllKeysOf, adminRevokeKey, adminRevokeKeys } from "./admin";
import { csvCell, exportKeyInventory, listKeyInventory } from "./inventory";
import { inventoryQuerySchema } from "./inventory-query";
import { DEFAULT_KEY_POLICY, updateKeyPolicy } from "./key-policy";
import { createPersonalKey, listKeys } from "./personal";
import { verifyKey } from "./verify";

withFreshDatabase();

type Person = Awaited<ReturnType<typeof makeUser>>;
let admin: Person;
let ada: Person;
let bob: Person;
let alpha: { id: string };
let beta: { id: string };
const secrets = new Map<string, string>();
const ids = new Map<string, string>();
let accountId: string;

const query = (q: Record<string, string> = {}) => inventoryQuerySchema.parse(q);
const names = async (q: Record<string, string> = {}) => (await listKeyInventory(admin, query({ size: "100", ...q }))).rows.map((r) => r.name);

async function key(owner: Person, name: string, opts: { expiresInDays?: number | null; restriction?: { projectId: string; roleId: string }[] } = {}) {
  const made = await createPersonalKey(owner, { name, expiresInDays: opts.expiresInDays === undefined ? 90 : opts.expiresInDays, restriction: opts.restriction ?? null });
  secrets.set(name, made.secret);
  ids.set(name, made.key.id);
  return made;
}

async function setKey(name: string, values: Partial<typeof apiKeys.$inferInsert>) {
  await (await getDb()).update(apiKeys).set(values).where(eq(apiKeys.id, ids.get(name)!));
}

const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000);

beforeAll(async () => {
  admin = await makeUser({ isOrgAdmin: true, name: "Root Admin" });
  ada = await makeUser({ name: "Ada Lovelace" });
  bob = await makeUser({ name: "Bob Builder" });
  alpha = await makeProject("Alpha");
  beta = await makeProject("Beta");
  const editor = await builtInRole("Editor");
  const viewer = await builtInRole("Viewer");
  await addMember(ada.id, alpha.id, editor.id);
  await addMember(ada.id, beta.id, viewer.id);
  await addMember(bob.id, beta.id, viewer.id);

  await key(ada, "ada-laptop");
  await key(ada, "ada-forever", { expiresInDays: null });
  await key(ada, "ada-alpha-only", { restriction: [{ projectId: alpha.id, roleId: viewer.id }] });
  await key(bob, "bob-ci", { expiresInDays: 30 });
  await key(bob, "=HYPERLINK(\"http://evil\")");
  const account = await createApiAccount(admin, { username: "billing-sync", memberships: [{ projectId: alpha.id, roleId: viewer.id }] });
  accountId = account.id;
  secrets.set("Default", account.secret);

  // Ages and traffic: ada-laptop used today, bob-ci 40 days ago, the rest never; ada-forever made 100 days ago.
  await setKey("ada-laptop", { lastUsedAt: new Date() });
  await setKey("bob-ci", { lastUsedAt: daysAgo(40), expiresAt: new Date(Date.now() + 5 * 86_400_000) });
  await setKey("ada-forever", { createdAt: daysAgo(100) });
  await setKey("ada-alpha-only", { createdAt: daysAgo(50), expiresAt: new Date(Date.now() + 20 * 86_400_000) });
  await (await getDb()).insert(apiKeyUsageDaily).values({ keyId: ids.get("ada-laptop")!, day: sql`(now() at time zone 'utc')::date`, accepted: 7, refused: 2 });
});

describe("the key inventory", () => {
  it("lists every key of the organization, personal and API-account, with owner, projects and traffic, never a hash", async () => {
    const list = await listKeyInventory(admin, query());
    expect(list.total).toBe(6);
    const laptop = list.rows.find((r) => r.name === "ada-laptop")!;
    expect(laptop).toMatchObject({
      kind: "pat",
      owner: { id: ada.id, name: "Ada Lovelace", kind: "human", status: "active" },
      status: "active",
      restricted: false,
      requests: { accepted: 7, refused: 2 },
    });
    expect(laptop.masked).toMatch(/^lk_pat_[0-9A-Za-z]{4}…[0-9A-Za-z]{4}$/);
    expect(laptop.projects.map((p) => p.name)).toEqual(["Alpha", "Beta"]);
    // A restricted key reaches only its projects.
    expect(list.rows.find((r) => r.name === "ada-alpha-only")!.projects.map((p) => p.name)).toEqual(["Alpha"]);
    const account = list.rows.find((r) => r.owner.id === accountId)!;
    expect(account).toMatchObject({ kind: "sa", name: "Default", owner: { username: "billing-sync", kind: "api_account" } });
    const json = JSON.stringify(list);
    for (const secret of secrets.values()) expect(json).not.toContain(secret.slice(12));
    expect(json).not.toMatch(/"hash"|encrypted/i);
  });

  it("searches owners (name, username, email), key names and key starts", async () => {
    expect((await names({ q: "lovelace" })).sort()).toEqual(["ada-alpha-only", "ada-forever", "ada-laptop"]);
    expect(await names({ q: "BOB-C" })).toEqual(["bob-ci"]);
    expect(await names({ q: "billing" })).toEqual(["Default"]);
    const start = (await listKeyInventory(admin, query({ q: "bob-ci" }))).rows[0]!.masked.split("…")[0]!;
    expect(await names({ q: start })).toEqual(["bob-ci"]);
    expect(await names({ q: "100%" })).toEqual([]);
  });

  it("filters by owner type, status, project, expiry, use and owner status", async () => {
    expect(await names({ type: "api_account" })).toEqual(["Default"]);
    expect((await names({ type: "human" })).length).toBe(5);
    expect((await names({ project: beta.id })).sort()).toEqual(["=HYPERLINK(\"http://evil\")", "ada-forever", "ada-laptop", "bob-ci"]);
    expect((await names({ project: alpha.id })).sort()).toEqual(["Default", "ada-alpha-only", "ada-forever", "ada-laptop"]);
    expect((await names({ expiry: "none" })).sort()).toEqual(["Default", "ada-forever"]);
    expect(await names({ expiry: "7" })).toEqual(["bob-ci"]);
    expect((await names({ expiry: "30" })).sort()).toEqual(["ada-alpha-only", "bob-ci"]);
    expect(await names({ status: "expiring" })).toEqual(["bob-ci"]);
    expect((await names({ usage: "never" })).sort()).toEqual(["=HYPERLINK(\"http://evil\")", "Default", "ada-alpha-only", "ada-forever"]);
    expect((await names({ usage: "30" })).sort()).toEqual(["ada-alpha-only", "ada-forever", "bob-ci"]);
    expect(await names({ usage: "90" })).toEqual(["ada-forever"]);
    expect(await names({ owner: "disabled" })).toEqual([]);
    // Filters combine.
    expect(await names({ q: "ada", expiry: "none" })).toEqual(["ada-forever"]);
  });

  it("finds the working keys that live longer than the key policy now allows, once the policy is tightened", async () => {
    expect(await names({ policy: "exceeds" })).toEqual([]);
    await updateKeyPolicy(admin, { maxLifetimeDays: 30, allowNoExpiry: false, defaultExpiryDays: 30 });
    try {
      // 90-day keys and the one that never expires; not the 20- and 5-day keys, nor the API account's
      // key (no limit for API-account keys); tightening the policy changed none of them.
      expect((await names({ policy: "exceeds" })).sort()).toEqual(["=HYPERLINK(\"http://evil\")", "ada-forever", "ada-laptop"].sort());
      expect(await names({ policy: "exceeds", type: "human", q: "ada" })).toEqual(expect.arrayContaining(["ada-forever", "ada-laptop"]));
    } finally {
      await updateKeyPolicy(admin, DEFAULT_KEY_POLICY);
    }
  });

  it("sorts by each column, both ways, and pages with a stable total", async () => {
    expect(await names({ sort: "name.asc" })).toEqual(["=HYPERLINK(\"http://evil\")", "ada-alpha-only", "ada-forever", "ada-laptop", "bob-ci", "Default"]);
    expect((await names({ sort: "name.desc" }))[0]).toBe("Default");
    expect((await names({ sort: "created.asc" }))[0]).toBe("ada-forever");
    expect((await names({ sort: "lastUsed.desc" })).slice(0, 2)).toEqual(["ada-laptop", "bob-ci"]);
    // Soonest first; keys that never expire last.
    const byExpiry = await names({ sort: "expires.asc" });
    expect(byExpiry.slice(0, 2)).toEqual(["bob-ci", "ada-alpha-only"]);
    expect(byExpiry.slice(-2).sort()).toEqual(["Default", "ada-forever"]);
    expect((await names({ sort: "status.asc" })).at(-1)).toBe("bob-ci");
    const owners = (await listKeyInventory(admin, query({ sort: "owner.asc" }))).rows.map((r) => r.owner.name);
    expect(owners).toEqual([...owners].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));

    const db = await getDb();
    const many = await makeUser({ name: "Zed Many" });
    const seeded = await db
      .insert(apiKeys)
      .values(Array.from({ length: 30 }, (_, i) => ({ ownerId: many.id, kind: "pat" as const, name: `many-${String(i).padStart(2, "0")}`, hash: `h${i}-${Math.random()}`, start: "lk_pat_Many", lastFour: "0000" })))
      .returning({ id: apiKeys.id });
    const first = await listKeyInventory(admin, query({ q: "zed many", sort: "name.asc" }));
    const second = await listKeyInventory(admin, query({ q: "zed many", sort: "name.asc", page: "2" }));
    expect([first.total, second.total, first.rows.length, second.rows.length]).toEqual([30, 30, 25, 5]);
    expect(second.rows.map((r) => r.name)).toEqual(["many-25", "many-26", "many-27", "many-28", "many-29"]);
    expect(await listKeyInventory(admin, query({ q: "zed many", page: "9" }))).toMatchObject({ rows: [], total: 30 });
    await db.delete(apiKeys).where(inArray(apiKeys.id, seeded.map((s) => s.id)));
  });

  it("is refused to anyone but a Global Admin, and to an admin's key limited to some projects", async () => {
    await expect(listKeyInventory(ada, query())).rejects.toBeInstanceOf(ForbiddenError);
    await expect(exportKeyInventory(ada, query())).rejects.toBeInstanceOf(ForbiddenError);
    const restricted = { ...admin, key: { id: ids.get("ada-laptop")!, restricted: true, beingReplaced: false, expiresAt: null } };
    await expect(listKeyInventory(restricted, query())).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe("the CSV export", () => {
  it("has the filtered keys' display parts, never a secret or hash, with formula cells defused, and is audited", async () => {
    const { csv, count } = await exportKeyInventory(admin, query({ type: "human", sort: "name.asc" }));
    expect(count).toBe(5);
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toMatch(/^"Owner","Username","Owner type"/);
    expect(lines).toHaveLength(6);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(csv).not.toContain("billing-sync");
    // The projects each key reaches (narrowed by its restriction) and its 30-day traffic, as on the page.
    expect(csv).toMatch(/"ada-alpha-only","lk_pat_[^"]+","Alpha","Yes",/);
    expect(csv).toMatch(/"ada-laptop","lk_pat_[^"]+","Alpha; Beta","No","[^"]+","[^"]+","7","2",/);
    const db = await getDb();
    const hashes = await db.select({ hash: apiKeys.hash }).from(apiKeys);
    for (const { hash } of hashes) expect(csv).not.toContain(hash);
    for (const secret of secrets.values()) expect(csv).not.toContain(secret.slice(12));
    const [event] = await db.select().from(auditEvents).where(eq(auditEvents.action, "keys.exported"));
    expect(event).toMatchObject({ actorId: admin.id, details: { count: 5, filters: { type: "human" } } });
  });

  it("quotes every cell and defuses = + - @ and tabs", () => {
    expect(csvCell("+1")).toBe(`"'+1"`);
    expect(csvCell("-2")).toBe(`"'-2"`);
    expect(csvCell("@SUM(A1)")).toBe(`"'@SUM(A1)"`);
    expect(csvCell("\tx")).toBe(`"'\tx"`);
    expect(csvCell('a "b", c')).toBe(`"a ""b"", c"`);
    expect(csvCell(null)).toBe("");
  });
});

describe("revocation by a Global Admin", () => {
  it("revokes anyone's key at once, says so to the owner, and writes one event naming admin, key and owner", async () => {
    const secret = secrets.get("ada-laptop")!;
    expect((await verifyKey(secret, TEST_CONTEXT)).valid).toBe(true);
    const result = await adminRevokeKey(admin, ids.get("ada-laptop")!);
    expect(result).toMatchObject({ revoked: 1, alreadyRevoked: 0, name: "ada-laptop", owner: "Ada Lovelace" });
    expect((await verifyKey(secret, TEST_CONTEXT)).valid).toBe(false);
    const mine = (await listKeys(ada, { includeRevoked: true })).find((k) => k.id === ids.get("ada-laptop"));
    expect(mine).toMatchObject({ status: "revoked", revokedByAdmin: true });
    // Again: nothing changes, no second event.
    expect(await adminRevokeKey(admin, ids.get("ada-laptop")!)).toMatchObject({ revoked: 0, alreadyRevoked: 1 });
    const events = await listAuditEvents(admin, auditQuerySchema.parse({ action: "key.revoked_by_admin" }));
    expect(events.rows).toHaveLength(1);
    expect(events.rows[0]!.sentence.join("")).toMatch(/^Root Admin revoked Ada Lovelace’s key “ada-laptop” \(lk_pat_.{4}….{4}\) as a Global Admin$/);
    expect(await names({ status: "revoked" })).toEqual(["ada-laptop"]);
    expect((await listKeyInventory(admin, query({ status: "revoked" }))).rows[0]).toMatchObject({ revokedByAdmin: true });
  });

  it("revokes a selection together, all or nothing", async () => {
    const db = await getDb();
    const [gone] = await db.insert(apiKeys).values({ ownerId: bob.id, kind: "pat", name: "gone", hash: `gone-${Math.random()}`, start: "lk_pat_Gone", lastFour: "0000" }).returning({ id: apiKeys.id });
    await db.delete(apiKeys).where(eq(apiKeys.id, gone!.id));
    await expect(adminRevokeKeys(admin, [ids.get("bob-ci")!, gone!.id])).rejects.toBeInstanceOf(NotFoundError);
    expect((await verifyKey(secrets.get("bob-ci")!, TEST_CONTEXT)).valid).toBe(true);

    const result = await adminRevokeKeys(admin, [ids.get("bob-ci")!, ids.get("ada-forever")!, ids.get("ada-laptop")!]);
    expect(result).toEqual({ revoked: 2, alreadyRevoked: 1, alsoRevoked: 0 });
    expect((await verifyKey(secrets.get("bob-ci")!, TEST_CONTEXT)).valid).toBe(false);
    expect((await verifyKey(secrets.get("ada-forever")!, TEST_CONTEXT)).valid).toBe(false);
    const events = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "key.revoked_by_admin"), inArray(auditEvents.targetId, [ids.get("bob-ci")!, ids.get("ada-forever")!])));
    expect(events).toHaveLength(2);
  });

  it("revokes every key of a person or API account", async () => {
    const result = await adminRevokeAllKeysOf(admin, accountId);
    expect(result).toMatchObject({ revoked: 1, owner: "billing-sync" });
    expect((await verifyKey(secrets.get("Default")!, TEST_CONTEXT)).valid).toBe(false);
    const again = await adminRevokeAllKeysOf(admin, accountId);
    expect(again.revoked).toBe(0);
    await expect(adminRevokeAllKeysOf(admin, "00000000-0000-4000-8000-000000000000")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("is refused to a non-admin and to an admin's key being replaced, with nothing changed", async () => {
    const target = ids.get("ada-alpha-only")!;
    await expect(adminRevokeKey(bob, target)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(adminRevokeKeys(bob, [target])).rejects.toBeInstanceOf(ForbiddenError);
    await expect(adminRevokeAllKeysOf(bob, ada.id)).rejects.toBeInstanceOf(ForbiddenError);
    const replacing = { ...admin, key: { id: target, restricted: false, beingReplaced: true, expiresAt: null } };
    await expect(adminRevokeKey(replacing, target)).rejects.toBeInstanceOf(ForbiddenError);
    expect((await verifyKey(secrets.get("ada-alpha-only")!, TEST_CONTEXT)).valid).toBe(true);
  });

  it("finds keys whose owner is disabled", async () => {
    await setUserStatus(admin, bob.id, "disabled");
    expect((await names({ owner: "disabled" })).sort()).toEqual(["=HYPERLINK(\"http://evil\")", "bob-ci"]);
    const db = await getDb();
    await db.update(users).set({ status: "active" }).where(eq(users.id, bob.id));
  });
});

describe("the SQL twin of keyStatus", () => {
  it("puts every key in the state keyStatus() gives it, whatever the combination of revoked, replaced, grace and expiry", async () => {
    const db = await getDb();
    const owner = await makeUser({ name: "Twin Owner" });
    const hour = 3_600_000;
    const at = (ms: number) => new Date(Date.now() + ms);
    const cases: Partial<typeof apiKeys.$inferInsert>[] = [
      {},
      { expiresAt: at(400 * 24 * hour) },
      { expiresAt: at(2 * 24 * hour) },
      { expiresAt: at(-hour) },
      { revokedAt: at(-hour) },
      { revokedAt: at(-hour), expiresAt: at(-2 * hour) },
      { replacedById: owner.id, graceExpiresAt: at(hour) },
      { replacedById: owner.id, graceExpiresAt: at(hour), expiresAt: at(-hour) },
      { replacedById: owner.id, graceExpiresAt: at(-hour) },
      { replacedById: owner.id, graceExpiresAt: null },
      { replacedById: owner.id, graceExpiresAt: at(hour), expiresAt: at(3 * 24 * hour) },
    ];
    const made = await db
      .insert(apiKeys)
      .values(cases.map((c, i) => ({ ownerId: owner.id, kind: "pat" as const, name: `twin-${i}`, hash: `twin-${i}-${Math.random()}`, start: "lk_pat_Twin", lastFour: "0000", ...c })))
      .returning();
    const { keyStatus, KEY_STATUSES } = await import("./lifecycle");
    const now = Date.now();
    const expected = new Map(made.map((k) => [k.name, keyStatus(k, now)]));
    expect(new Set(expected.values())).toEqual(new Set(KEY_STATUSES));
    for (const status of KEY_STATUSES) {
      const found = (await names({ q: "twin owner", status })).sort();
      expect(found, status).toEqual([...expected].filter(([, s]) => s === status).map(([n]) => n).sort());
    }
    // And the status sort follows KEY_STATUSES' order.
    const rows = (await listKeyInventory(admin, query({ q: "twin owner", sort: "status.asc", size: "100" }))).rows;
    const ranks = rows.map((r) => KEY_STATUSES.indexOf(r.status));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });
});
