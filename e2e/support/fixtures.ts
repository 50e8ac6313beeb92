import { test as base, expect } from "@playwright/test";
import { type SeedPlan, seedDatabase, type Seeded } from "./api";
import { freshDatabase, startServer, type TestServer } from "./server";

/**
 * The spec's running Latchkey: a fresh database, seeded with the spec's plan
 * through the same lib/ functions the console uses, and the real production
 * server on it. Worker-scoped: one server per spec file (Playwright gives
 * every distinct `seed`/`serverEnv` its own worker), shared by its tests and
 * stopped, its database dropped, when the worker ends.
 *
 *   test.use({ seed: { users: [...], keys: [...] }, serverEnv: { API_RATE_LIMIT: "5" } });
 *   test("…", async ({ app }) => { await fetch(app.api("/me"), { headers: app.bearer("alice") }) });
 */
export type App = TestServer & {
  seeded: Seeded;
  /** `${url}/api/v1${path}` */
  api: (path: string) => string;
  /** The Authorization header for a seeded key, by its ref. */
  bearer: (keyRef: string) => { authorization: string };
};

type WorkerFixtures = { seed: SeedPlan; serverEnv: Record<string, string>; app: App };

export const test = base.extend<object, WorkerFixtures>({
  seed: [{}, { option: true, scope: "worker" }],
  serverEnv: [{}, { option: true, scope: "worker" }],
  app: [
    async ({ seed, serverEnv }, provide) => {
      const db = await freshDatabase();
      try {
        const seeded = seedDatabase(db, seed);
        const server = await startServer(serverEnv, db);
        try {
          await provide({
            ...server,
            seeded,
            api: (path) => `${server.url}/api/v1${path}`,
            bearer: (ref) => ({ authorization: `Bearer ${seeded.keys[ref]!.secret}` }),
          });
        } finally {
          await server.stop();
        }
      } finally {
        await db.drop();
      }
    },
    // Starting a production server and seeding it can take a while on a busy machine.
    { scope: "worker", timeout: 120_000 },
  ],
});

export { expect };
