import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { apiKeys, auditEvents, users } from "@/lib/db/schema";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { withFreshDatabase } from "@/lib/test/db";
import { addMember, builtInRole, makeProject, makeUser, TEST_CONTEXT } from "@/lib/test/fixtures";
import { changeKeys } from "./invalidation";
import { generateKey, hashKey } from "./format";
import { createDefaultKey, createPersonalKey, getKeyOverview, listKeys, revokeKey, rotateKey } from "./personal";
import { verifyKey, verifyKeyEager } from "./verify";

withFreshDatabase();

const create = (owner: Awaited<ReturnType<typeof makeUser>>, name: string, extra: Partial<Parameters<typeof createPersonalKey>[1]> = {}) =>
  createPersonalKey(owner, { name, expiresInDays: 90, restriction: null, ...extra });

describe("personal keys", () => {
  it("creates a key that verifies, with the owner's projects and permissions", async () => {
    const owner = await makeUser();
    const project = await makeProject("Docs");
    await addMember(owner.id, project.id, (await builtInRole("Editor")).id);
    const { key, secret } = await create(owner, "CI");
    expect(secret).toMatch(/^lk_pat_/);
    expect(key).toMatchObject({ name: "CI", status: "active", start: secret.slice(0, 11), lastFour: secret.slice(-4) });
    const result = await verifyKey(secret, TEST_CONTEXT);
    expect(result).toMatchObject({ valid: true, owner: { id: owner.id }, key: { id: key.id, name: "CI" } });
    expect(result.valid && result.projects).toEqual([
      { id: project.id, slug: project.slug, name: "Docs", role: "Editor", permissions: ["*:read", "*:write"] },
    ]);
    expect(await verifyKey(secret, TEST_CONTEXT, { project: project.slug, permission: "documents:write" })).toMatchObject({ valid: true });
    expect(await verifyKey(secret, TEST_CONTEXT, { project: project.id, permission: "keys:verify" })).toMatchObject({ valid: false, code: "forbidden" });
  });

  it("stores only the hash: the secret is nowhere in the database", async () => {
    const owner = await makeUser();
    const { secret } = await create(owner, "Stored");
    const db = await getDb();
    const dump = JSON.stringify(await db.select().from(apiKeys)) + JSON.stringify(await db.select().from(auditEvents));
    expect(dump).not.toContain(secret);
    expect(dump).not.toContain(secret.slice(11, -4));
    expect(dump).toContain(hashKey(secret));
  });

  it("finds a key by its hash alone: same start and last four is not enough", async () => {
    const owner = await makeUser();
    const { secret } = await create(owner, "Lookalike");
    const forged = generateKey("pat");
    const db = await getDb();
    // Give an unrelated well-formed key the same visible parts; it must still be unknown.
    expect(forged).not.toBe(secret);
    await db.update(apiKeys).set({ start: forged.slice(0, 11), lastFour: forged.slice(-4) }).where(eq(apiKeys.hash, hashKey(secret)));
    const [row] = await db.select({ start: apiKeys.start, lastFour: apiKeys.lastFour }).from(apiKeys).where(eq(apiKeys.hash, hashKey(secret)));
    expect(row).toEqual({ start: forged.slice(0, 11), lastFour: forged.slice(-4) });
    expect(await verifyKey(forged, TEST_CONTEXT)).toMatchObject({ valid: false, code: "unknown" });
    expect(await verifyKey(secret, TEST_CONTEXT)).toMatchObject({ valid: true });
  });

  it("refuses malformed keys and bad checksums", async () => {
    const key = generateKey("pat");
    expect(await verifyKey(key.slice(0, -1) + (key.endsWith("a") ? "b" : "a"), TEST_CONTEXT)).toMatchObject({ valid: false, code: "malformed" });
    expect(await verifyKey("not a key", TEST_CONTEXT)).toMatchObject({ valid: false, code: "malformed" });
  });

  it("keeps names unique among my live keys, and says so", async () => {
    const owner = await makeUser();
    await create(owner, "Deploy");
    await expect(create(owner, "Deploy")).rejects.toThrow(ValidationError);
    await expect(create(owner, "Deploy")).rejects.toThrow("You already have a key named “Deploy”");
    const other = await makeUser();
    await expect(create(other, "Deploy")).resolves.toBeDefined();
  });

  it("lets only users with API access create keys", async () => {
    const noAccess = await makeUser({ apiAccess: false });
    await expect(create(noAccess, "Nope")).rejects.toThrow(ForbiddenError);
    const admin = await makeUser({ apiAccess: false, isOrgAdmin: true });
    await expect(create(admin, "Admin key")).resolves.toBeDefined();
  });

  it("revokes at once, and keeps the key listed as revoked", async () => {
    const owner = await makeUser();
    const { key, secret } = await create(owner, "Revoke me");
    expect(await verifyKey(secret, TEST_CONTEXT)).toMatchObject({ valid: true }); // now cached
    // Cached, the REST API's hot path gets its answer without a promise: the same valid answer each time.
    const eager = verifyKeyEager(secret, TEST_CONTEXT);
    expect(eager).not.toBeInstanceOf(Promise);
    expect(verifyKeyEager(secret, TEST_CONTEXT)).toBe(eager);
    await revokeKey(owner, key.id);
    expect(await verifyKey(secret, TEST_CONTEXT)).toMatchObject({ valid: false, code: "revoked" });
    expect(await listKeys(owner)).toEqual([]);
    expect(await listKeys(owner, { includeRevoked: true })).toMatchObject([{ id: key.id, status: "revoked" }]);
  });

  it("answers another user's key id as not found and changes nothing", async () => {
    const owner = await makeUser();
    const intruder = await makeUser();
    const { key, secret } = await create(owner, "Mine");
    await expect(revokeKey(intruder, key.id)).rejects.toThrow(NotFoundError);
    await expect(rotateKey(intruder, key.id, 0)).rejects.toThrow(NotFoundError);
    expect(await verifyKey(secret, TEST_CONTEXT)).toMatchObject({ valid: true });
  });

  it("rotates immediately: old key fails, new key works with the same name and policy", async () => {
    const owner = await makeUser();
    const { key, secret } = await create(owner, "Rotate now", { expiresInDays: 30 });
    const rotated = await rotateKey(owner, key.id, 0);
    expect(rotated.key).toMatchObject({ name: "Rotate now", expiresInDays: 30, status: "active" });
    expect(rotated.secret).not.toBe(secret);
    expect(await verifyKey(secret, TEST_CONTEXT)).toMatchObject({ valid: false, code: "revoked" });
    expect(await verifyKey(rotated.secret, TEST_CONTEXT)).toMatchObject({ valid: true });
  });

  it("rotates with a grace period: the old key works until it ends", async () => {
    const owner = await makeUser();
    const { key, secret } = await create(owner, "Rotate later");
    const rotated = await rotateKey(owner, key.id, 3600);
    expect(await verifyKey(secret, TEST_CONTEXT)).toMatchObject({ valid: true });
    expect(await verifyKey(rotated.secret, TEST_CONTEXT)).toMatchObject({ valid: true });
    const listed = await listKeys(owner);
    expect(listed.find((k) => k.id === key.id)?.status).toBe("rotating");
    const db = await getDb();
    await db.update(apiKeys).set({ graceExpiresAt: sql`now() - interval '1 second'` }).where(eq(apiKeys.id, key.id));
    await changeKeys((_, invalidate) => invalidate({ scope: "key", ids: [key.id] }));
    expect(await verifyKey(secret, TEST_CONTEXT)).toMatchObject({ valid: false, code: "revoked" });
  });

  it("gives exactly one new key when a key is rotated twice at once", async () => {
    const owner = await makeUser();
    const { key } = await create(owner, "Race");
    const results = await Promise.allSettled([0, 1, 2].map(() => rotateKey(owner, key.id, 0)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const losers = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(losers).toHaveLength(2);
    for (const l of losers) expect(l.reason).toBeInstanceOf(ConflictError);
    expect(await listKeys(owner)).toHaveLength(1);
  });

  it("fails every key of a disabled owner at once", async () => {
    const owner = await makeUser();
    const { secret } = await create(owner, "Owner goes");
    expect(await verifyKey(secret, TEST_CONTEXT)).toMatchObject({ valid: true });
    const db = await getDb();
    await db.update(users).set({ status: "disabled" }).where(eq(users.id, owner.id));
    await changeKeys((_, invalidate) => invalidate({ scope: "owner", id: owner.id }));
    expect(await verifyKey(secret, TEST_CONTEXT)).toMatchObject({ valid: false, code: "owner_disabled" });
  });

  it("reports expired keys", async () => {
    const owner = await makeUser();
    const { key, secret } = await create(owner, "Old");
    const db = await getDb();
    await db.update(apiKeys).set({ expiresAt: sql`now() - interval '1 minute'` }).where(eq(apiKeys.id, key.id));
    await changeKeys((_, invalidate) => invalidate({ scope: "key", ids: [key.id] }));
    expect(await verifyKey(secret, TEST_CONTEXT)).toMatchObject({ valid: false, code: "expired" });
  });

  it("restricts a key to chosen projects with roles no greater than the owner's", async () => {
    const owner = await makeUser();
    const a = await makeProject("Alpha");
    const b = await makeProject("Beta");
    const [editor, viewer, admin] = await Promise.all([builtInRole("Editor"), builtInRole("Viewer"), builtInRole("Admin")]);
    await addMember(owner.id, a.id, editor.id);
    await addMember(owner.id, b.id, editor.id);
    await expect(create(owner, "Too much", { restriction: [{ projectId: a.id, roleId: admin.id }] })).rejects.toThrow(
      "Admin in Alpha is more than your own role there (Editor).",
    );
    const { secret } = await create(owner, "Narrow", { restriction: [{ projectId: a.id, roleId: viewer.id }] });
    const result = await verifyKey(secret, TEST_CONTEXT);
    expect(result.valid && result.projects).toEqual([{ id: a.id, slug: a.slug, name: "Alpha", role: "Viewer", permissions: ["*:read"] }]);
    expect(await verifyKey(secret, TEST_CONTEXT, { project: a.id, permission: "documents:write" })).toMatchObject({ valid: false, code: "forbidden" });
    expect(await verifyKey(secret, TEST_CONTEXT, { project: b.id })).toMatchObject({ valid: false, code: "forbidden" });
  });

  it("writes an audit event for generate, rotate and revoke without the secret", async () => {
    const owner = await makeUser();
    const { key, secret } = await create(owner, "Audited");
    const rotated = await rotateKey(owner, key.id, 0);
    await revokeKey(owner, rotated.key.id);
    const db = await getDb();
    const events = await db.select().from(auditEvents).where(eq(auditEvents.actorId, owner.id)).orderBy(auditEvents.id);
    expect(events.map((e) => e.action)).toEqual(["key.created", "key.rotated", "key.revoked"]);
    expect(events[0]).toMatchObject({ targetId: key.id, targetLabel: "Audited", ip: "127.0.0.1", userAgent: "vitest" });
    expect(JSON.stringify(events)).not.toContain(secret);
    expect(JSON.stringify(events)).not.toContain(rotated.secret);
  });
});

describe("the profile's default key and overview", () => {
  it("makes “Default” for 90 days, once (see default-key.test.ts)", async () => {
    const owner = await makeUser();
    const first = await createDefaultKey(owner);
    expect(first.key).toMatchObject({ name: "Default", expiresInDays: 90, restriction: null, status: "active" });
    expect(await verifyKey(first.secret, TEST_CONTEXT)).toMatchObject({ valid: true });
    await expect(createDefaultKey(owner)).rejects.toThrow(ConflictError);
    await expect(createDefaultKey(await makeUser({ apiAccess: false }))).rejects.toThrow(ForbiddenError);
  });

  it("counts my working keys and names the one that expires first", async () => {
    const owner = await makeUser();
    expect(await getKeyOverview(owner)).toEqual({ active: 0, nextToExpire: null });
    await create(owner, "Forever", { expiresInDays: null });
    expect(await getKeyOverview(owner)).toEqual({ active: 1, nextToExpire: null });
    await create(owner, "Long", { expiresInDays: 300 });
    const soon = await create(owner, "Soon", { expiresInDays: 3 });
    const gone = await create(owner, "Gone", { expiresInDays: 1 });
    await revokeKey(owner, gone.key.id);
    const overview = await getKeyOverview(owner);
    expect(overview.active).toBe(3);
    expect(overview.nextToExpire).toEqual({ name: "Soon", expiresAt: soon.key.expiresAt });
    // A key in its rotation grace period is on its way out: its replacement is what counts.
    await rotateKey(owner, soon.key.id, 3600);
    expect((await getKeyOverview(owner)).active).toBe(3);
  });
});
