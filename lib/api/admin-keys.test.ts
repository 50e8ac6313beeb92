// The app first: lib/ schemas built before @hono/zod-openapi is loaded lack .openapi().
import { createApiApp } from "./app";
import { eq, isNotNull } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { apiKeys, auditEvents } from "@/lib/db/schema";
import { createPersonalKey } from "@/lib/keys/personal";
import { withFreshDatabase } from "@/lib/test/db";
import { makeUser } from "@/lib/test/fixtures";

withFreshDatabase();

type User = Awaited<ReturnType<typeof makeUser>>;
let root: User;
let alice: User;
let rootKey: string;
let aliceKey: string;
const ids: Record<string, string> = {};
const app = createApiApp();

const call = (key: string, method: string, path: string, body?: unknown) =>
  app.request(`/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const revokedCount = async () => (await (await getDb()).select({ id: apiKeys.id }).from(apiKeys).where(isNotNull(apiKeys.revokedAt))).length;
const eventCount = async () => (await (await getDb()).select({ id: auditEvents.id }).from(auditEvents)).length;

beforeAll(async () => {
  root = await makeUser({ isOrgAdmin: true, name: "Root Admin" });
  alice = await makeUser({ name: "Alice Able" });
  rootKey = (await createPersonalKey(root, { name: "admin", expiresInDays: 30, restriction: null })).secret;
  const made = await createPersonalKey(alice, { name: "alice-main", expiresInDays: 30, restriction: null });
  aliceKey = made.secret;
  ids.main = made.key.id;
  for (const name of ["alice-a", "alice-b", "alice-c"]) ids[name] = (await createPersonalKey(alice, { name, expiresInDays: null, restriction: null })).key.id;
});

describe("/api/v1/admin/keys", () => {
  it("lists the organization's keys with the console's filters, never a secret", async () => {
    const res = await call(rootKey, "GET", `/admin/keys?q=alice&expiry=none&sort=name.asc`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { keys: { name: string; owner: { name: string }; masked: string }[]; total: number };
    expect(body.total).toBe(3);
    expect(body.keys.map((k) => k.name)).toEqual(["alice-a", "alice-b", "alice-c"]);
    expect(body.keys[0]!.owner.name).toBe("Alice Able");
    expect(JSON.stringify(body)).not.toContain(aliceKey.slice(12));
    const bad = await call(rootKey, "GET", `/admin/keys?expiry=soon`);
    expect(bad.status).toBe(422);
  });

  it("refuses a non-admin on every endpoint with 403, and nothing changes", async () => {
    const [revoked, events] = [await revokedCount(), await eventCount()];
    for (const [method, path, body] of [
      ["GET", "/admin/keys"],
      ["GET", "/admin/keys/export"],
      ["POST", `/admin/keys/${ids["alice-a"]}/revoke`],
      ["POST", "/admin/keys/revoke", { ids: [ids["alice-a"]] }],
      ["POST", `/admin/users/${root.id}/keys/revoke`],
    ] as const) {
      const res = await call(aliceKey, method, path, body);
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    expect([await revokedCount(), await eventCount()]).toEqual([revoked, events]);
  });

  it("revokes one key, several together, and all of a user's", async () => {
    const one = await call(rootKey, "POST", `/admin/keys/${ids["alice-a"]}/revoke`);
    expect(await one.json()).toEqual({ revoked: 1, alreadyRevoked: 0, alsoRevoked: 0 });
    expect((await call(rootKey, "POST", `/admin/keys/${crypto.randomUUID()}/revoke`)).status).toBe(404);
    expect((await call(rootKey, "POST", "/admin/keys/revoke", { ids: [] })).status).toBe(422);

    const bulk = await call(rootKey, "POST", "/admin/keys/revoke", { ids: [ids["alice-a"], ids["alice-b"]] });
    expect(await bulk.json()).toEqual({ revoked: 1, alreadyRevoked: 1, alsoRevoked: 0 });

    const all = await call(rootKey, "POST", `/admin/users/${alice.id}/keys/revoke`);
    expect(await all.json()).toEqual({ revoked: 2, alreadyRevoked: 0, alsoRevoked: 0 });
    expect((await call(aliceKey, "GET", "/me")).status).toBe(401);
    const events = await (await getDb()).select().from(auditEvents).where(eq(auditEvents.action, "key.revoked_by_admin"));
    expect(events).toHaveLength(4);
    expect(events.every((e) => e.actorId === root.id && (e.details as { owner: { id: string } }).owner.id === alice.id)).toBe(true);
  });

  it("exports CSV with the filters, audited", async () => {
    const res = await call(rootKey, "GET", "/admin/keys/export?status=revoked");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    const csv = await res.text();
    expect(csv.trimEnd().split("\r\n")).toHaveLength(5);
    expect(csv).toContain("Revoked by an administrator");
    expect(csv).not.toContain(aliceKey.slice(12));
    const [event] = await (await getDb()).select().from(auditEvents).where(eq(auditEvents.action, "keys.exported"));
    expect(event?.details).toEqual({ count: 4, filters: { status: "revoked" } });
  });
});
