import { createServer, type Server, type Socket } from "node:net";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DatabaseUnavailableError } from "@/lib/errors";
import { withDeadline } from "./deadline";

// A "database" that accepts connections and never says a word: a frozen host.
let frozen: Server;
const held: Socket[] = [];
let url = "";
beforeAll(async () => {
  frozen = createServer((socket) => void held.push(socket));
  await new Promise<void>((r) => frozen.listen(0, "127.0.0.1", r));
  url = `postgres://nobody@127.0.0.1:${(frozen.address() as { port: number }).port}/none`;
});
afterAll(async () => {
  for (const s of held) s.destroy();
  await new Promise((r) => frozen.close(r));
});

const DEADLINE = 300;
const client = () => withDeadline(postgres(url, { max: 2, connect_timeout: 30, onnotice: () => {} }), DEADLINE);

async function timed(work: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  const error = await work().then(() => undefined, (e: unknown) => e);
  return { error, ms: Date.now() - started };
}

describe("withDeadline against a database that never answers", () => {
  it("fails a statement, and more statements than connections, with DatabaseUnavailableError at the deadline", async () => {
    const sql = client();
    const outcomes = await Promise.all([
      timed(() => sql.unsafe("select 1")),
      timed(() => sql.unsafe("select 1").values()),
      ...Array.from({ length: 4 }, () => timed(() => sql.unsafe("select $1::int", [1]))),
    ]);
    for (const { error, ms } of outcomes) {
      expect(error).toBeInstanceOf(DatabaseUnavailableError);
      expect(ms).toBeGreaterThanOrEqual(DEADLINE - 20);
      expect(ms).toBeLessThan(DEADLINE * 10);
    }
    void sql.end({ timeout: 0 });
  });

  it("fails a transaction whose BEGIN never answers, without running its callback", async () => {
    const sql = client();
    let ran = false;
    const { error, ms } = await timed(() => sql.begin(async () => (ran = true)));
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect(ms).toBeLessThan(DEADLINE * 10);
    expect(ran).toBe(false);
    void sql.end({ timeout: 0 });
  });
});
