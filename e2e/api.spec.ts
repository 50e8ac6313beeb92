import { expect, type APIResponse, test } from "@playwright/test";
import { generateKey } from "../lib/keys/format";
import { seedDatabase, type Seeded } from "./support/api";
import { expectProblem as expectProblemOf } from "./support/problem";
import { freshDatabase, startServer, type TestServer } from "./support/server";

test.describe.configure({ mode: "serial" });

let server: TestServer;
let db: Awaited<ReturnType<typeof freshDatabase>>;
let s: Seeded;

test.beforeAll(async () => {
  db = await freshDatabase();
  s = seedDatabase(db, {
    users: [
      { ref: "alice", name: "Alice Example", email: "alice@example.com" },
      { ref: "bob", name: "Bob Other" },
      { ref: "gate", name: "Gate Keeper" },
      { ref: "root", name: "Root Admin", isOrgAdmin: true },
      { ref: "gone", name: "Gone User", disabled: true },
      { ref: "svc", kind: "api_account" },
    ],
    projects: [
      { ref: "billing", name: "Billing" },
      { ref: "docs", name: "Docs" },
      { ref: "vault", name: "Vault" },
    ],
    memberships: [
      { user: "alice", project: "billing", role: "Editor" },
      { user: "alice", project: "docs", role: "Viewer" },
      { user: "bob", project: "vault", role: "Admin" },
      { user: "bob", project: "billing", role: "Viewer" },
      { user: "gate", project: "billing", role: "Admin" },
      { user: "svc", project: "billing", role: "Viewer" },
    ],
    keys: [
      { ref: "alice", user: "alice", name: "Laptop" },
      { ref: "aliceLimited", user: "alice", name: "Billing only", restriction: [{ project: "billing", role: "Viewer" }] },
      { ref: "aliceExpired", user: "alice", name: "Old", expired: true },
      { ref: "aliceRevoked", user: "alice", name: "Revoked", revoked: true },
      { ref: "bob", user: "bob", name: "Bob's key" },
      { ref: "bobSpare", user: "bob", name: "Bob's spare" },
      { ref: "gate", user: "gate", name: "Gateway" },
      { ref: "root", user: "root", name: "Root", expiresInDays: null },
      { ref: "gone", user: "gone", name: "Gone" },
      { ref: "svc", user: "svc", name: "Default" },
    ],
  });
  // Many refusals on purpose from one address: the per-IP limit has its own spec.
  server = await startServer({ API_AUTH_FAILURE_LIMIT: "100000" }, db);
});
test.afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

const api = (path: string) => `${server.url}/api/v1${path}`;
const bearer = (ref: string) => ({ authorization: `Bearer ${s.keys[ref]!.secret}` });

const expectProblem = (res: APIResponse, status: number, code: string) =>
  expectProblemOf(res, status, code, Object.values(s.keys).map((k) => k.secret));

async function expect401(res: APIResponse, code: string) {
  await expectProblem(res, 401, code);
  expect(res.headers()["www-authenticate"]).toMatch(/^Bearer /);
}

test.describe("authentication", () => {
  test("no key, and each kind of bad key, is refused with its own code", async ({ request }) => {
    await expect401(await request.get(api("/me")), "missing_key");
    await expect401(await request.get(api("/me"), { headers: { authorization: "Basic dXNlcjpwYXNz" } }), "missing_key");
    await expect401(await request.get(api("/me"), { headers: { authorization: "Bearer not-a-key" } }), "key_malformed");
    const good = s.keys.alice!.secret;
    const typo = good.slice(0, -1) + (good.endsWith("a") ? "b" : "a");
    await expect401(await request.get(api("/me"), { headers: { authorization: `Bearer ${typo}` } }), "key_malformed");
    await expect401(await request.get(api("/me"), { headers: { authorization: `Bearer ${generateKey("pat")}` } }), "key_unknown");
    await expect401(await request.get(api("/me"), { headers: bearer("aliceExpired") }), "key_expired");
    await expect401(await request.get(api("/me"), { headers: bearer("aliceRevoked") }), "key_revoked");
    await expect401(await request.get(api("/me"), { headers: bearer("gone") }), "owner_disabled");
  });

  test("Bearer and X-API-Key both work", async ({ request }) => {
    expect((await request.get(api("/me"), { headers: bearer("alice") })).status()).toBe(200);
    expect((await request.get(api("/me"), { headers: { "x-api-key": s.keys.alice!.secret } })).status()).toBe(200);
  });

  test("a key in the query string is refused with 400, valid or not, with or without a header", async ({ request }) => {
    const secret = s.keys.alice!.secret;
    const body = await expectProblem(await request.get(api(`/me?api_key=${secret}`)), 400, "key_in_query");
    expect(body.detail).toContain("Authorization: Bearer");
    await expectProblem(await request.get(api(`/me?token=${secret}`), { headers: bearer("alice") }), 400, "key_in_query");
    await expectProblem(await request.get(api(`/keys?includeRevoked=true&q=${secret}`), { headers: bearer("alice") }), 400, "key_in_query");
    await expectProblem(await request.get(api("/health?key=x")), 400, "key_in_query");
  });

  test("unknown endpoints are problem+json 404 behind the key check", async ({ request }) => {
    await expect401(await request.get(api("/nope")), "missing_key");
    await expectProblem(await request.get(api("/nope"), { headers: bearer("alice") }), 404, "not_found");
  });
});

test("GET /me says who the key is: owner, key and projects with roles", async ({ request }) => {
  const res = await request.get(api("/me"), { headers: bearer("alice") });
  expect(res.status()).toBe(200);
  expect(res.headers()["ratelimit-limit"]).toBe("600");
  expect(Number(res.headers()["ratelimit-remaining"])).toBeLessThan(600);
  const me = await res.json();
  expect(me).toEqual({
    owner: { id: s.users.alice!.id, username: "alice", name: "Alice Example", kind: "human", email: "alice@example.com", isOrgAdmin: false },
    key: {
      id: s.keys.alice!.id,
      name: "Laptop",
      kind: "pat",
      start: s.keys.alice!.secret.slice(0, 11),
      lastFour: s.keys.alice!.secret.slice(-4),
      expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      restricted: false,
    },
    projects: [
      { id: s.projects.billing!.id, slug: "billing", name: "Billing", role: "Editor", permissions: ["*:read", "*:write"] },
      { id: s.projects.docs!.id, slug: "docs", name: "Docs", role: "Viewer", permissions: ["*:read"] },
    ],
  });

  const limited = await (await request.get(api("/me"), { headers: bearer("aliceLimited") })).json();
  expect(limited.key.restricted).toBe(true);
  expect(limited.projects).toEqual([{ id: s.projects.billing!.id, slug: "billing", name: "Billing", role: "Viewer", permissions: ["*:read"] }]);

  const svc = await (await request.get(api("/me"), { headers: bearer("svc") })).json();
  expect(svc.owner).toMatchObject({ username: "svc", kind: "api_account", email: null });
  expect(svc.key.kind).toBe("sa");
});

test("GET /me answers alike ahead of the router (lib/api/listener.ts) and through it", async ({ request }) => {
  // "/me" exactly takes the short path; with a query string the same request goes to the Hono app.
  const shape = async (res: APIResponse) => {
    const headers = res.headers();
    const remaining = headers["ratelimit-remaining"];
    delete headers["ratelimit-remaining"];
    // Seconds until the window ends: the two requests may fall either side of a second.
    delete headers["ratelimit-reset"];
    delete headers.date;
    return { status: res.status(), headers, remaining: remaining === undefined ? undefined : Number(remaining), body: await res.text() };
  };
  const cases: Record<string, string>[] = [bearer("alice"), { "x-api-key": s.keys.aliceLimited!.secret }, bearer("aliceRevoked"), bearer("gone"), {}];
  for (const headers of cases) {
    const short = await shape(await request.get(api("/me"), { headers }));
    const routed = await shape(await request.get(api("/me?via=router"), { headers }));
    expect(routed).toEqual({ ...short, remaining: short.remaining === undefined ? undefined : short.remaining - 1 });
  }
});

test("POST /keys/verify answers alike ahead of the router and through it", async ({ request }) => {
  const shape = async (res: APIResponse) => {
    const headers = res.headers();
    const remaining = headers["ratelimit-remaining"];
    delete headers["ratelimit-remaining"];
    // Seconds until the window ends: the two requests may fall either side of a second.
    delete headers["ratelimit-reset"];
    delete headers.date;
    return { status: res.status(), headers, remaining: remaining === undefined ? undefined : Number(remaining), body: await res.text() };
  };
  const asks: [Record<string, string>, unknown][] = [
    [bearer("gate"), { key: s.keys.alice!.secret }],
    [bearer("gate"), { key: s.keys.alice!.secret, project: "billing", permission: "invoices:write" }],
    [bearer("gate"), { key: s.keys.bob!.secret, project: "billing", permission: "invoices:write" }],
    [bearer("gate"), { key: s.keys.aliceRevoked!.secret }],
    [bearer("gate"), { key: s.keys.alice!.secret, project: "docs" }],
    [bearer("root"), { key: s.keys.aliceRevoked!.secret }],
    [bearer("alice"), { key: s.keys.bob!.secret }],
    [bearer("gate"), { key: 42, permission: "NOT A PERMISSION" }],
    [bearer("gate"), "{not json"],
    [bearer("aliceRevoked"), { key: s.keys.alice!.secret }],
    [{}, { key: s.keys.alice!.secret }],
  ];
  for (const [headers, body] of asks) {
    const options = { headers: { ...headers, "content-type": "application/json" }, data: typeof body === "string" ? body : JSON.stringify(body) };
    const short = await shape(await request.post(api("/keys/verify"), options));
    const routed = await shape(await request.post(api("/keys/verify?via=router"), options));
    expect(routed, JSON.stringify(body)).toEqual({ ...short, remaining: short.remaining === undefined ? undefined : short.remaining - 1 });
  }
});

test.describe("projects", () => {
  test("lists and gets my projects as the key sees them; anyone else's is 404", async ({ request }) => {
    const list = await (await request.get(api("/projects"), { headers: bearer("alice") })).json();
    expect(list.projects.map((p: { slug: string }) => p.slug)).toEqual(["billing", "docs"]);

    const one = await request.get(api(`/projects/${s.projects.billing!.id}`), { headers: bearer("alice") });
    expect(await one.json()).toEqual({ project: expect.objectContaining({ slug: "billing", role: "Editor" }) });
    expect((await (await request.get(api("/projects/docs"), { headers: bearer("alice") })).json()).project.name).toBe("Docs");

    // Bob's project: exists, but not Alice's.
    await expectProblem(await request.get(api(`/projects/${s.projects.vault!.id}`), { headers: bearer("alice") }), 404, "not_found");
    await expectProblem(await request.get(api("/projects/vault"), { headers: bearer("alice") }), 404, "not_found");
    // Alice's own project, outside her limited key's restriction.
    await expectProblem(await request.get(api(`/projects/${s.projects.docs!.id}`), { headers: bearer("aliceLimited") }), 404, "not_found");
    const limited = await (await request.get(api("/projects"), { headers: bearer("aliceLimited") })).json();
    expect(limited.projects.map((p: { slug: string }) => p.slug)).toEqual(["billing"]);
  });
});

test.describe("keys", () => {
  test("GET /keys lists only my keys, never a secret or hash; revoked ones on request", async ({ request }) => {
    const res = await request.get(api("/keys"), { headers: bearer("alice") });
    expect(res.status()).toBe(200);
    const text = await res.text();
    for (const k of Object.values(s.keys)) expect(text).not.toContain(k.secret);
    expect(text).not.toMatch(/hash|encrypted/i);
    const { keys } = JSON.parse(text);
    const names = keys.map((k: { name: string }) => k.name).sort();
    expect(names).toEqual(["Billing only", "Laptop", "Old"]);
    const laptop = keys.find((k: { name: string }) => k.name === "Laptop");
    expect(Object.keys(laptop).sort()).toEqual(
      ["createdAt", "expiresAt", "graceExpiresAt", "id", "kind", "lastFour", "lastUsedAt", "name", "restriction", "revokedAt", "revokedByAdmin", "start", "status"],
    );
    expect(laptop).toMatchObject({
      id: s.keys.alice!.id,
      name: "Laptop",
      kind: "pat",
      start: s.keys.alice!.secret.slice(0, 11),
      lastFour: s.keys.alice!.secret.slice(-4),
      createdAt: expect.any(String),
      expiresAt: expect.any(String),
      status: "active",
      restriction: null,
      revokedAt: null,
      revokedByAdmin: false,
      graceExpiresAt: null,
    });
    expect(keys.find((k: { name: string }) => k.name === "Old").status).toBe("expired");
    expect(keys.find((k: { name: string }) => k.name === "Billing only").restriction).toEqual([
      { projectId: s.projects.billing!.id, projectName: "Billing", roleId: s.roles.Viewer, roleName: "Viewer" },
    ]);

    const all = await (await request.get(api("/keys?includeRevoked=true"), { headers: bearer("alice") })).json();
    expect(all.keys.find((k: { name: string }) => k.name === "Revoked")).toMatchObject({ status: "revoked", revokedAt: expect.any(String) });
    await expectProblem(await request.get(api("/keys?includeRevoked=maybe"), { headers: bearer("alice") }), 422, "validation_failed");
  });

  test("POST /keys returns the secret once, and the new key works", async ({ request }) => {
    const res = await request.post(api("/keys"), { headers: bearer("alice"), data: { name: "  Deploy  ", expiresInDays: 30 } });
    expect(res.status()).toBe(201);
    const { key, secret } = await res.json();
    expect(secret).toMatch(/^lk_pat_/);
    expect(key).toMatchObject({ name: "Deploy", kind: "pat", status: "active", restriction: null, start: secret.slice(0, 11), lastFour: secret.slice(-4) });
    const days = (Date.parse(key.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThan(30.1);
    const me = await (await request.get(api("/me"), { headers: { authorization: `Bearer ${secret}` } })).json();
    expect(me.key).toMatchObject({ id: key.id, name: "Deploy" });
    const listed = await (await request.get(api("/keys"), { headers: bearer("alice") })).text();
    expect(listed).not.toContain(secret);

    // A key made with a key expires no later than that key: "no expiration" through Alice's 90-day key is her key's expiry…
    const maker = (await (await request.get(api("/me"), { headers: bearer("alice") })).json()).key;
    const capped = await (await request.post(api("/keys"), { headers: bearer("alice"), data: { name: "Capped", expiresInDays: null } })).json();
    expect(capped.key.expiresAt).toBe(maker.expiresAt);
    // …and through a key that does not expire (Root's), none.
    const forever = await (await request.post(api("/keys"), { headers: bearer("root"), data: { name: "Forever", expiresInDays: null } })).json();
    expect(forever.key.expiresAt).toBeNull();
    const dflt = await (await request.post(api("/keys"), { headers: bearer("alice"), data: { name: "Default expiry" } })).json();
    expect(Math.round((Date.parse(dflt.key.expiresAt) - Date.now()) / 86_400_000)).toBe(90);

    const limited = await request.post(api("/keys"), {
      headers: bearer("alice"),
      data: { name: "Docs reader", restriction: [{ projectId: s.projects.docs!.id, roleId: s.roles.Viewer }] },
    });
    expect(limited.status()).toBe(201);
    expect((await limited.json()).key.restriction).toEqual([{ projectId: s.projects.docs!.id, projectName: "Docs", roleId: s.roles.Viewer, roleName: "Viewer" }]);
  });

  test("POST /keys validates, field by field, with the console's messages", async ({ request }) => {
    let body = await expectProblem(await request.post(api("/keys"), { headers: bearer("alice"), data: { name: "", expiresInDays: 0 } }), 422, "validation_failed");
    expect(body.errors).toEqual({ name: ["Enter a name."], expiresInDays: ["Enter between 1 and 3650 days."] });
    body = await expectProblem(await request.post(api("/keys"), { headers: bearer("alice"), data: { name: "Laptop" } }), 422, "validation_failed");
    expect(body.errors?.name?.[0]).toContain("You already have a key named “Laptop”");
    // More than Alice holds in Billing, and a project that is Bob's.
    body = await expectProblem(
      await request.post(api("/keys"), {
        headers: bearer("alice"),
        data: { name: "Escalate", restriction: [{ projectId: s.projects.billing!.id, roleId: s.roles.Admin }, { projectId: s.projects.vault!.id, roleId: s.roles.Viewer }] },
      }),
      422,
      "validation_failed",
    );
    expect(body.errors?.restriction).toEqual(["Admin in Billing is more than your own role there (Editor).", "You can only limit a key to projects you are a member of."]);
    await expectProblem(
      await request.post(api("/keys"), { headers: { ...bearer("alice"), "content-type": "application/json" }, data: Buffer.from("{not json") }),
      400,
      "invalid_json",
    );
    await expectProblem(await request.post(api("/keys"), { headers: bearer("alice"), data: [1, 2] }), 422, "validation_failed");
  });

  test("POST /keys is refused for API accounts and for keys limited to some projects", async ({ request }) => {
    await expectProblem(await request.post(api("/keys"), { headers: bearer("svc"), data: { name: "Mine" } }), 403, "forbidden");
    await expectProblem(await request.post(api("/keys"), { headers: bearer("aliceLimited"), data: { name: "Wider" } }), 403, "forbidden");
  });

  test("rotate with a grace period: both keys work until it ends, the new one has the same name", async ({ request }) => {
    const created = await (await request.post(api("/keys"), { headers: bearer("alice"), data: { name: "Rotating" } })).json();
    const old = { authorization: `Bearer ${created.secret}` };
    const res = await request.post(api(`/keys/${created.key.id}/rotate`), { headers: bearer("alice"), data: { grace: "1h" } });
    expect(res.status()).toBe(200);
    const rotated = await res.json();
    expect(rotated.key).toMatchObject({ name: "Rotating", status: "active" });
    expect(rotated.secret).not.toBe(created.secret);
    expect(Math.abs(Date.parse(rotated.oldKeyStopsAt) - (Date.now() + 3_600_000))).toBeLessThan(60_000);
    expect((await request.get(api("/me"), { headers: old })).status()).toBe(200);
    expect((await (await request.get(api("/me"), { headers: { authorization: `Bearer ${rotated.secret}` } })).json()).key.id).toBe(rotated.key.id);
    const listed = await (await request.get(api("/keys"), { headers: bearer("alice") })).json();
    expect(listed.keys.find((k: { id: string }) => k.id === created.key.id)).toMatchObject({ status: "rotating", graceExpiresAt: rotated.oldKeyStopsAt });
    await expectProblem(await request.post(api(`/keys/${created.key.id}/rotate`), { headers: bearer("alice") }), 409, "conflict");
  });

  test("rotate immediately (the default): the old key is refused at once, the new one accepted", async ({ request }) => {
    const created = await (await request.post(api("/keys"), { headers: bearer("alice"), data: { name: "Rotate now" } })).json();
    const old = { authorization: `Bearer ${created.secret}` };
    expect((await request.get(api("/me"), { headers: old })).status()).toBe(200); // cached as valid
    const res = await request.post(api(`/keys/${created.key.id}/rotate`), { headers: old });
    expect(res.status()).toBe(200);
    const rotated = await res.json();
    expect(Math.abs(Date.parse(rotated.oldKeyStopsAt) - Date.now())).toBeLessThan(60_000);
    await expect401(await request.get(api("/me"), { headers: old }), "key_revoked");
    expect((await request.get(api("/me"), { headers: { authorization: `Bearer ${rotated.secret}` } })).status()).toBe(200);
    const bad = await expectProblem(
      await request.post(api(`/keys/${rotated.key.id}/rotate`), { headers: bearer("alice"), data: { grace: "forever" } }),
      422,
      "validation_failed",
    );
    expect(bad.errors?.grace).toEqual(["Choose when the old key stops working."]);
  });

  test("DELETE /keys/{id} revokes my key at once", async ({ request }) => {
    const created = await (await request.post(api("/keys"), { headers: bearer("alice"), data: { name: "Short-lived" } })).json();
    const k = { authorization: `Bearer ${created.secret}` };
    expect((await request.get(api("/me"), { headers: k })).status()).toBe(200);
    const res = await request.delete(api(`/keys/${created.key.id}`), { headers: bearer("alice") });
    expect(res.status()).toBe(204);
    expect(await res.text()).toBe("");
    await expect401(await request.get(api("/me"), { headers: k }), "key_revoked");
    expect((await request.delete(api(`/keys/${created.key.id}`), { headers: bearer("alice") })).status()).toBe(204);
  });

  test("someone else's key id is 404 on every endpoint that takes one, and their key keeps working", async ({ request }) => {
    const bobs = s.keys.bob!.id;
    await expectProblem(await request.post(api(`/keys/${bobs}/rotate`), { headers: bearer("alice"), data: { grace: "1h" } }), 404, "not_found");
    await expectProblem(await request.delete(api(`/keys/${bobs}`), { headers: bearer("alice") }), 404, "not_found");
    // A Global Admin's personal key does not reach other people's keys either.
    await expectProblem(await request.delete(api(`/keys/${bobs}`), { headers: bearer("root") }), 404, "not_found");
    await expectProblem(await request.post(api(`/keys/${bobs}/rotate`), { headers: bearer("root") }), 404, "not_found");
    await expectProblem(await request.delete(api("/keys/not-a-uuid"), { headers: bearer("alice") }), 404, "not_found");
    await expectProblem(await request.post(api(`/keys/${crypto.randomUUID()}/rotate`), { headers: bearer("alice") }), 404, "not_found");
    const me = await request.get(api("/me"), { headers: bearer("bob") });
    expect(me.status()).toBe(200);
    const bobKeys = await (await request.get(api("/keys"), { headers: bearer("bob") })).json();
    expect(bobKeys.keys.find((k: { id: string }) => k.id === bobs).status).toBe("active");
  });

  test("a key limited to some projects may rotate or revoke itself, and nothing else", async ({ request }) => {
    const self = s.keys.aliceLimited!;
    await expectProblem(await request.delete(api(`/keys/${s.keys.alice!.id}`), { headers: bearer("aliceLimited") }), 403, "forbidden");
    await expectProblem(await request.post(api(`/keys/${s.keys.alice!.id}/rotate`), { headers: bearer("aliceLimited") }), 403, "forbidden");
    expect((await request.get(api("/me"), { headers: bearer("alice") })).status()).toBe(200);
    const rotated = await request.post(api(`/keys/${self.id}/rotate`), { headers: bearer("aliceLimited"), data: { grace: "1h" } });
    expect(rotated.status()).toBe(200);
    const { secret, key } = await rotated.json();
    expect(key.restriction).toHaveLength(1);
    expect((await request.delete(api(`/keys/${key.id}`), { headers: { authorization: `Bearer ${secret}` } })).status()).toBe(204);
  });
});

test.describe("POST /keys/verify", () => {
  const verify = (request: import("@playwright/test").APIRequestContext, as: string, data: unknown) =>
    request.post(api("/keys/verify"), { headers: bearer(as), data });

  test("is refused to keys without keys:verify", async ({ request }) => {
    const body = await expectProblem(await verify(request, "alice", { key: s.keys.bob!.secret }), 403, "forbidden");
    expect(body.detail).toContain("keys:verify");
    await expectProblem(await verify(request, "svc", { key: s.keys.bob!.secret }), 403, "forbidden");
  });

  test("a project Admin verifies keys within its projects only", async ({ request }) => {
    const ok = await verify(request, "gate", { key: s.keys.alice!.secret });
    expect(ok.status()).toBe(200);
    expect(await ok.json()).toEqual({
      valid: true,
      code: "valid",
      detail: "The key is valid.",
      key: { id: s.keys.alice!.id, name: "Laptop", expiresAt: expect.any(String) },
      owner: { id: s.users.alice!.id, username: "alice", kind: "human" },
      // Alice is also in Docs, which the gate may not see.
      projects: [{ id: s.projects.billing!.id, slug: "billing", name: "Billing", role: "Editor", permissions: ["*:read", "*:write"] }],
    });
    expect(await (await verify(request, "gate", { key: s.keys.alice!.secret, project: "billing", permission: "invoices:write" })).json()).toMatchObject({ valid: true });
    expect(await (await verify(request, "gate", { key: s.keys.alice!.secret, permission: "invoices:write" })).json()).toMatchObject({ valid: true });
    // Bob's key reaches none of the gate's projects: whose it is, is not the gate's to know.
    expect(await (await verify(request, "gate", { key: s.keys.bob!.secret, project: "billing", permission: "invoices:write" })).json()).toMatchObject({
      valid: false,
      code: "forbidden",
      key: null,
      owner: null,
    });
    expect(await (await verify(request, "gate", { key: s.keys.aliceLimited!.secret, permission: "invoices:write" })).json()).toMatchObject({ valid: false, code: "forbidden" });
    await expectProblem(await verify(request, "gate", { key: s.keys.alice!.secret, project: "docs" }), 403, "forbidden");
    await expectProblem(await verify(request, "gate", { key: s.keys.bob!.secret, project: s.projects.vault!.id }), 403, "forbidden");
  });

  test("answers 200 for invalid keys, with why, and whose they are only to a Global Admin", async ({ request }) => {
    expect(await (await verify(request, "gate", { key: s.keys.aliceRevoked!.secret })).json()).toEqual({
      valid: false,
      code: "key_revoked",
      detail: "This key has been revoked.",
      key: null,
      owner: null,
      projects: [],
    });
    expect(await (await verify(request, "root", { key: s.keys.aliceRevoked!.secret })).json()).toEqual({
      valid: false,
      code: "key_revoked",
      detail: "This key has been revoked.",
      key: { id: s.keys.aliceRevoked!.id, name: "Revoked", expiresAt: expect.any(String) },
      owner: { id: s.users.alice!.id, username: "alice", kind: "human" },
      projects: [],
    });
    expect(await (await verify(request, "gate", { key: s.keys.aliceExpired!.secret })).json()).toMatchObject({ valid: false, code: "key_expired" });
    expect(await (await verify(request, "gate", { key: s.keys.gone!.secret })).json()).toMatchObject({ valid: false, code: "owner_disabled" });
    expect(await (await verify(request, "gate", { key: "lk_pat_nope" })).json()).toEqual({
      valid: false,
      code: "key_malformed",
      detail: expect.any(String),
      key: null,
      owner: null,
      projects: [],
    });
    expect(await (await verify(request, "gate", { key: generateKey("sa") })).json()).toMatchObject({ valid: false, code: "key_unknown", key: null });
    const body = await expectProblem(await verify(request, "gate", { project: "billing", permission: "NOT A PERMISSION" }), 422, "validation_failed");
    expect(Object.keys(body.errors!).sort()).toEqual(["key", "permission"]);
  });

  test("an unrestricted Global Admin key verifies any key and sees all its projects", async ({ request }) => {
    const res = await (await verify(request, "root", { key: s.keys.alice!.secret })).json();
    expect(res).toMatchObject({ valid: true, owner: { username: "alice" } });
    expect(res.projects.map((p: { slug: string }) => p.slug)).toEqual(["billing", "docs"]);
    expect(await (await verify(request, "root", { key: s.keys.bob!.secret, project: "vault", permission: "secrets:delete" })).json()).toMatchObject({ valid: true });
  });
});

test("usage is recorded in batches: last used appears on the key within seconds", async ({ request }) => {
  expect((await request.get(api("/me"), { headers: bearer("bobSpare") })).status()).toBe(200);
  await expect
    .poll(
      async () => {
        const { keys } = await (await request.get(api("/keys"), { headers: bearer("bob") })).json();
        return keys.find((k: { id: string }) => k.id === s.keys.bobSpare!.id).lastUsedAt;
      },
      { timeout: 15_000, intervals: [1000] },
    )
    .toEqual(expect.any(String));
});

test("the OpenAPI document describes every endpoint, with summary, example and error responses", async ({ request }) => {
  const res = await request.get(api("/openapi.json"));
  expect(res.status()).toBe(200);
  const doc = await res.json();
  expect(doc.openapi).toBe("3.1.0");
  expect(doc.components.securitySchemes).toEqual({
    bearerAuth: expect.objectContaining({ type: "http", scheme: "bearer" }),
  });
  const ops: [string, string][] = [
    ["get", "/api/v1/me"],
    ["get", "/api/v1/projects"],
    ["get", "/api/v1/projects/{id}"],
    ["get", "/api/v1/keys"],
    ["post", "/api/v1/keys"],
    ["post", "/api/v1/keys/{id}/rotate"],
    ["delete", "/api/v1/keys/{id}"],
    ["post", "/api/v1/keys/verify"],
  ];
  for (const [method, path] of ops) {
    const op = doc.paths[path]?.[method];
    expect(op, `${method} ${path}`).toBeDefined();
    expect(op.summary).toBeTruthy();
    expect(op.responses["401"].content["application/problem+json"].example.code).toBeTruthy();
    expect(op.responses["429"].headers["Retry-After"]).toBeDefined();
    const ok = Object.entries(op.responses).find(([status]) => status.startsWith("2"))![1] as { content?: Record<string, { example?: unknown; examples?: unknown }> };
    if (method !== "delete") expect(ok.content!["application/json"]!.example ?? ok.content!["application/json"]!.examples).toBeDefined();
    if (path.includes("{id}")) expect(op.parameters.find((p: { name: string }) => p.name === "id")).toMatchObject({ in: "path", required: true });
  }
  expect(doc.paths["/api/v1/health"].get.security).toEqual([]);
});

test("no key ever reaches the server's log", async () => {
  const log = server.output();
  expect(log).toContain("is running at");
  for (const k of Object.values(s.keys)) expect(log).not.toContain(k.secret);
});
