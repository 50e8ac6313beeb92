// The app first: lib/ schemas built before @hono/zod-openapi is loaded lack .openapi().
import { createApiApp } from "./app";
import { count } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { auditEvents } from "@/lib/db/schema";
import { createPersonalKey } from "@/lib/keys/personal";
import { getRole, createRole, updateRole } from "@/lib/roles";
import { withFreshDatabase } from "@/lib/test/db";
import { addMember, builtInRole, makeProject, makeUser } from "@/lib/test/fixtures";
import { getUser, updateUser } from "@/lib/users/admin";

withFreshDatabase();

type User = Awaited<ReturnType<typeof makeUser>>;
let root: User;
let keys: Record<"root" | "rootLimited" | "alice" | "deputy", string>;
const app = createApiApp();

async function keyFor(user: User, name: string, restriction: { projectId: string; roleId: string }[] | null = null) {
  return (await createPersonalKey(user, { name, expiresInDays: 30, restriction })).secret;
}

const call = (key: string, method: string, path: string, body?: unknown) =>
  app.request(`/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function auditCount() {
  const db = await getDb();
  const [row] = await db.select({ n: count() }).from(auditEvents);
  return row!.n;
}

beforeAll(async () => {
  root = await makeUser({ isOrgAdmin: true, name: "Root Admin" });
  const deputy = await makeUser({ isOrgAdmin: true, name: "Deputy Admin" });
  const alice = await makeUser({ name: "Alice" });
  const project = await makeProject("Guarded");
  await addMember(root.id, project.id, (await builtInRole("Admin")).id);
  keys = {
    root: await keyFor(root, "Root"),
    rootLimited: await keyFor(root, "Limited", [{ projectId: project.id, roleId: (await builtInRole("Viewer")).id }]),
    alice: await keyFor(alice, "Alice"),
    deputy: await keyFor(deputy, "Deputy"),
  };
});

describe("the /admin guard", () => {
  it("refuses a non-admin with 403 before looking at what it sent, and changes nothing", async () => {
    const before = await auditCount();
    for (const [method, path, body] of [
      ["GET", "/admin/users"],
      ["GET", "/admin/users?status=bogus"],
      ["POST", "/admin/api-accounts", { username: "X!" }],
      ["POST", "/admin/projects", { name: "Sneaky" }],
      ["DELETE", `/admin/users/${root.id}?confirm=${root.username}`],
      ["GET", "/admin/no-such-endpoint"],
    ] as [string, string, unknown?][]) {
      const res = await call(keys.alice, method, path, body);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(await res.json()).toMatchObject({ code: "forbidden", detail: "Only Global Admins can use the administration endpoints." });
    }
    expect(await auditCount()).toBe(before);
  });

  it("refuses a Global Admin's key limited to some projects", async () => {
    const res = await call(keys.rootLimited, "GET", "/admin/users");
    expect(res.status).toBe(403);
    expect((await res.json()).detail).toMatch(/unrestricted key/);
  });

  it("lets an unrestricted Global Admin key through, and a demotion takes effect on the next request", async () => {
    expect((await call(keys.deputy, "GET", "/admin/roles")).status).toBe(200);
    const deputy = (await (await call(keys.root, "GET", "/admin/users?q=deputy")).json()).users[0];
    await updateUser(root, deputy.id, { isOrgAdmin: false });
    expect((await call(keys.deputy, "GET", "/admin/roles")).status).toBe(403);
  });
});

describe("lib additions used by the API", () => {
  it("getUser answers one row like the Users table, and 404s for an unknown id", async () => {
    const user = await getUser(root, root.id);
    expect(user).toMatchObject({ id: root.id, kind: "human", isOrgAdmin: true, key: null });
    expect(user.memberships.map((m) => m.roleName)).toEqual(["Admin"]);
    await expect(getUser(root, crypto.randomUUID())).rejects.toMatchObject({ status: 404 });
  });

  it("updateRole changes only the fields it is given", async () => {
    const role = await createRole(root, { name: "Auditor", description: "Reads reports.", permissions: ["reports:read"] });
    await updateRole(root, role.id, { permissions: ["reports:read", "reports:export"] });
    expect(await getRole(root, role.id)).toMatchObject({ name: "Auditor", description: "Reads reports.", permissions: ["reports:read", "reports:export"] });
    await updateRole(root, role.id, { description: "" });
    expect(await getRole(root, role.id)).toMatchObject({ name: "Auditor", description: "", permissions: ["reports:read", "reports:export"] });
  });
});
