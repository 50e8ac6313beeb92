import { expect, test } from "@playwright/test";
import { seedDatabase, type Seeded } from "./support/api";
import { freshDatabase, startServer, type TestServer } from "./support/server";

/**
 * "Revoked at once" as a race: keys are used from several clients, on every
 * instance, while they are revoked, rotated, their owner disabled or their
 * role changed. Every request sent after the change answered must see the
 * new state, on every instance; the old state may only be seen by requests
 * that were sent before it answered.
 */
test.describe.configure({ mode: "serial" });
test.setTimeout(180_000);

const ITERATIONS = Number(process.env.RACE_ITERATIONS ?? 40);
const WORKERS_PER_INSTANCE = 4;

let servers: TestServer[] = [];
let db: Awaited<ReturnType<typeof freshDatabase>>;
let s: Seeded;

test.beforeAll(async () => {
  db = await freshDatabase();
  s = seedDatabase(db, {
    users: [{ ref: "alice" }, { ref: "bob" }, { ref: "admin", isOrgAdmin: true }],
    projects: [{ ref: "billing", name: "Billing" }],
    memberships: [
      { user: "alice", project: "billing", role: "Editor" },
      { user: "bob", project: "billing", role: "Editor" },
    ],
    keys: [
      { ref: "manager", user: "alice", name: "Manager" },
      { ref: "admin", user: "admin", name: "Admin" },
      { ref: "bob", user: "bob", name: "Bob's own" },
    ],
  });
  // Two instances on one Postgres; PGlite is one process by design.
  const count = process.env.DATABASE_URL ? 2 : 1;
  servers = await Promise.all(Array.from({ length: count }, () => startServer({ API_RATE_LIMIT: "1000000", API_AUTH_FAILURE_LIMIT: "1000000" }, db)));
});
test.afterAll(async () => {
  await Promise.all(servers.map((x) => x.stop()));
  await db?.drop();
});

const json = { "content-type": "application/json" };
const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

async function me(server: TestServer, secret: string): Promise<{ status: number; role?: string }> {
  const res = await fetch(`${server.url}/api/v1/me`, { headers: bearer(secret) });
  const body = (await res.json()) as { projects?: { role: string }[] };
  return { status: res.status, role: body.projects?.[0]?.role };
}

async function newKey(name: string, owner = s.keys.manager!.secret): Promise<{ id: string; secret: string }> {
  const res = await fetch(`${servers[0]!.url}/api/v1/keys`, { method: "POST", headers: { ...bearer(owner), ...json }, body: JSON.stringify({ name, expiresInDays: 1 }) });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { key: { id: string }; secret: string };
  return { id: body.key.id, secret: body.secret };
}

type Sample = { sentAt: number; stale: boolean; server: number };

/**
 * Clients hammer every instance with `secret` while `change` runs on the first
 * instance; returns the samples sent after the change answered that still saw the old state.
 */
async function race(secret: string, change: () => Promise<Response>, isStale: (answer: { status: number; role?: string }) => boolean): Promise<Sample[]> {
  const samples: Sample[] = [];
  let answeredAt = Infinity;
  let stop = false;
  const worker = async (server: number) => {
    // Keep going a little after the change answered: those are the requests that matter.
    while (!stop) {
      const sentAt = performance.now();
      const answer = await me(servers[server]!, secret);
      samples.push({ sentAt, stale: isStale(answer), server });
    }
  };
  const workers = servers.flatMap((_, i) => Array.from({ length: WORKERS_PER_INSTANCE }, () => worker(i)));
  await new Promise((r) => setTimeout(r, Math.random() * 4));
  const res = await change();
  answeredAt = performance.now();
  expect(res.status).toBeLessThan(300);
  await new Promise((r) => setTimeout(r, 30));
  stop = true;
  await Promise.all(workers);
  // And once more on every instance, well after the change.
  for (const [i, server] of servers.entries()) {
    samples.push({ sentAt: performance.now(), stale: isStale(await me(server, secret)), server: i });
  }
  return samples.filter((x) => x.sentAt > answeredAt && x.stale);
}

function report(kind: string, late: Sample[][]) {
  const bad = late.filter((x) => x.length);
  expect(bad.length, `${kind}: ${bad.length} of ${late.length} changes still answered with the old state afterwards (e.g. ${JSON.stringify(bad[0]?.slice(0, 3))})`).toBe(0);
}

test("a revoked key is refused by every request sent after the revocation answered, on every instance", async () => {
  const late: Sample[][] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const key = await newKey(`revoke ${i}`);
    late.push(await race(key.secret, () => fetch(`${servers[0]!.url}/api/v1/keys/${key.id}`, { method: "DELETE", headers: bearer(s.keys.manager!.secret) }), (a) => a.status === 200));
  }
  report("revoke", late);
});

test("a key rotated without grace is refused after the rotation answered, on every instance", async () => {
  const late: Sample[][] = [];
  for (let i = 0; i < ITERATIONS / 2; i++) {
    const key = await newKey(`rotate ${i}`);
    late.push(
      await race(
        key.secret,
        () => fetch(`${servers[0]!.url}/api/v1/keys/${key.id}/rotate`, { method: "POST", headers: { ...bearer(s.keys.manager!.secret), ...json }, body: JSON.stringify({ grace: "immediately" }) }),
        (a) => a.status === 200,
      ),
    );
  }
  report("rotate", late);
});

test("a disabled owner's key is refused after the disable answered, on every instance", async () => {
  const admin = bearer(s.keys.admin!.secret);
  const bob = s.users.bob!.id;
  const late: Sample[][] = [];
  for (let i = 0; i < ITERATIONS / 2; i++) {
    const res = await fetch(`${servers[0]!.url}/api/v1/admin/users/${bob}/enable`, { method: "POST", headers: admin });
    expect(res.status).toBe(200);
    // A key Bob makes now, so that it starts uncached everywhere.
    const key = await newKeyFor("bob", `disable ${i}`);
    late.push(await race(key.secret, () => fetch(`${servers[0]!.url}/api/v1/admin/users/${bob}/disable`, { method: "POST", headers: admin }), (a) => a.status === 200));
  }
  report("disable", late);
});

test("a role change is seen by every request sent after it answered, on every instance", async () => {
  const admin = { ...bearer(s.keys.admin!.secret), ...json };
  const bob = s.users.bob!.id;
  const project = s.projects.billing!.id;
  await fetch(`${servers[0]!.url}/api/v1/admin/users/${bob}/enable`, { method: "POST", headers: admin });
  const late: Sample[][] = [];
  for (let i = 0; i < ITERATIONS / 2; i++) {
    const [from, to] = i % 2 ? ["Viewer", "Editor"] : ["Editor", "Viewer"];
    const key = await newKeyFor("bob", `role ${i}`);
    expect((await me(servers[0]!, key.secret)).role).toBe(from);
    late.push(
      await race(
        key.secret,
        () =>
          fetch(`${servers[0]!.url}/api/v1/admin/users/${bob}`, {
            method: "PATCH",
            headers: admin,
            body: JSON.stringify({ memberships: [{ projectId: project, roleId: s.roles[to]! }] }),
          }),
        (a) => a.status !== 200 || a.role !== to,
      ),
    );
  }
  report("role change", late);
});

/** Bob's keys are made by Bob, with the key the seed gave him. */
const newKeyFor = (user: "bob", name: string) => newKey(name, s.keys[user]!.secret);
