import type { APIRequestContext } from "@playwright/test";
import { type App, expect, test } from "./support/fixtures";
import { expectProblem } from "./support/problem";

/**
 * What a leaked key can and cannot do (docs/api.md#keys-made-with-keys): a
 * key made with a key dies with it and never outlives it; a key being
 * replaced manages no keys; a project-limited key sees and manages only
 * itself; an API account may rotate the key it calls with and nothing else.
 */
test.use({
  seed: {
    users: [{ ref: "alice" }, { ref: "svc", kind: "api_account" }],
    projects: [{ ref: "billing", name: "Billing" }, { ref: "docs", name: "Docs" }],
    memberships: [
      { user: "alice", project: "billing", role: "Editor" },
      { user: "alice", project: "docs", role: "Editor" },
      { user: "svc", project: "billing", role: "Viewer" },
    ],
    keys: [
      { ref: "laptop", user: "alice", name: "Laptop", expiresInDays: 30 },
      { ref: "limited", user: "alice", name: "Billing only", restriction: [{ project: "billing", role: "Viewer" }] },
      { ref: "svc", user: "svc", name: "Default" },
    ],
  },
  serverEnv: { API_AUTH_FAILURE_LIMIT: "100000" },
});

const auth = (secret: string) => ({ authorization: `Bearer ${secret}` });
type Made = { key: { id: string; name: string; expiresAt: string | null }; secret: string };

async function make(app: App, request: APIRequestContext, withKey: string, name: string, expiresInDays: number | null = 90): Promise<Made> {
  const res = await request.post(app.api("/keys"), { headers: auth(withKey), data: { name, expiresInDays } });
  expect(res.status()).toBe(201);
  return (await res.json()) as Made;
}

const status = async (app: App, request: APIRequestContext, secret: string) => {
  const res = await request.get(app.api("/me"), { headers: auth(secret) });
  return res.status() === 200 ? "200" : `${res.status()} ${(await res.json()).code}`;
};

test("a key made with a key expires no later than it and is revoked with it, also after the maker is rotated", async ({ app, request }) => {
  const s = app.seeded;
  const api = app.api;
  const maker = await make(app, request, s.keys.laptop!.secret, "Maker", 10);
  const child = await make(app, request, maker.secret, "Child", null);
  expect(child.key.expiresAt).toBe(maker.key.expiresAt);
  const grandchild = await make(app, request, child.secret, "Grandchild", 3650);
  expect(grandchild.key.expiresAt).toBe(maker.key.expiresAt);

  // Rotating the maker hands its children to the new key.
  const rotated = await request.post(api(`/keys/${maker.key.id}/rotate`), { headers: auth(s.keys.laptop!.secret), data: { grace: "immediately" } });
  expect(rotated.status()).toBe(200);
  const successor = (await rotated.json()) as Made;
  expect(await status(app, request, child.secret)).toBe("200");

  expect((await request.delete(api(`/keys/${successor.key.id}`), { headers: auth(s.keys.laptop!.secret) })).status()).toBe(204);
  expect(await status(app, request, successor.secret)).toBe("401 key_revoked");
  expect(await status(app, request, child.secret)).toBe("401 key_revoked");
  expect(await status(app, request, grandchild.secret)).toBe("401 key_revoked");
  // Keys made in the console (the seed's Laptop) and its other keys live on.
  expect(await status(app, request, s.keys.laptop!.secret)).toBe("200");
});

test("a key being replaced may use the API and revoke itself, but manages no keys", async ({ app, request }) => {
  const s = app.seeded;
  const api = app.api;
  const old = await make(app, request, s.keys.laptop!.secret, "Deploy");
  const res = await request.post(api(`/keys/${old.key.id}/rotate`), { headers: auth(old.secret), data: { grace: "1h" } });
  expect(res.status()).toBe(200);
  const next = (await res.json()) as Made & { oldKeyStopsAt: string };
  expect(await status(app, request, old.secret)).toBe("200");
  // Its expiry is now the end of its grace period, wherever it is shown.
  const me = await (await request.get(api("/me"), { headers: auth(old.secret) })).json();
  expect(me.key.expiresAt).toBe(next.oldKeyStopsAt);

  // The old key cannot rotate its replacement away from the owner, revoke it, or mint another.
  await expectProblem(await request.post(api(`/keys/${next.key.id}/rotate`), { headers: auth(old.secret), data: { grace: "immediately" } }), 403, "forbidden");
  await expectProblem(await request.delete(api(`/keys/${next.key.id}`), { headers: auth(old.secret) }), 403, "forbidden");
  await expectProblem(await request.post(api("/keys"), { headers: auth(old.secret), data: { name: "Backdoor", expiresInDays: null } }), 403, "forbidden");
  expect(await status(app, request, next.secret)).toBe("200");

  expect((await request.delete(api(`/keys/${old.key.id}`), { headers: auth(old.secret) })).status()).toBe(204);
  expect(await status(app, request, old.secret)).toBe("401 key_revoked");
  expect(await status(app, request, next.secret)).toBe("200");
});

test("a key limited to some projects sees and manages only itself", async ({ app, request }) => {
  const s = app.seeded;
  const api = app.api;
  const list = await (await request.get(api("/keys"), { headers: auth(s.keys.limited!.secret) })).json();
  expect(list.keys.map((k: { id: string }) => k.id)).toEqual([s.keys.limited!.id]);
  await expectProblem(await request.delete(api(`/keys/${s.keys.laptop!.id}`), { headers: auth(s.keys.limited!.secret) }), 403, "forbidden");
  await expectProblem(await request.post(api("/keys"), { headers: auth(s.keys.limited!.secret), data: { name: "More" } }), 403, "forbidden");
  expect(await status(app, request, s.keys.laptop!.secret)).toBe("200");
});

test("an API account may rotate the key it calls with, and create none", async ({ app, request }) => {
  const s = app.seeded;
  const api = app.api;
  const list = await (await request.get(api("/keys"), { headers: auth(s.keys.svc!.secret) })).json();
  expect(list.keys.map((k: { id: string }) => k.id)).toEqual([s.keys.svc!.id]);
  await expectProblem(await request.post(api("/keys"), { headers: auth(s.keys.svc!.secret), data: { name: "Another" } }), 403, "forbidden");

  const res = await request.post(api(`/keys/${s.keys.svc!.id}/rotate`), { headers: auth(s.keys.svc!.secret), data: { grace: "immediately" } });
  expect(res.status()).toBe(200);
  const next = (await res.json()) as Made;
  expect(next.secret).toMatch(/^lk_sa_/);
  expect(await status(app, request, s.keys.svc!.secret)).toBe("401 key_revoked");
  const me = await (await request.get(api("/me"), { headers: auth(next.secret) })).json();
  expect(me.owner.username).toBe("svc");
  expect(me.key).toMatchObject({ kind: "sa", name: "Default" });
});
