import postgres from "postgres";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getDatabase } from "@/lib/db/client";
import { withFreshDatabase } from "@/lib/test/db";
import { addMember, builtInRole, makeProject, makeUser, TEST_CONTEXT } from "@/lib/test/fixtures";
import { createApiAccount } from "@/lib/users/admin";
import { regenerateAccountKey } from "./accounts";
import { hashKey } from "./format";
import { keyCache } from "./invalidation";
import { createPersonalKey, rotateKey } from "./personal";
import { verifyKey } from "./verify";

/**
 * A key nobody has yet cannot have been presented; to test that a hash
 * remembered as unknown never delays the key that is then made with it, the
 * next keys lib/keys makes are chosen here (the rest of format.ts is real).
 */
const next = vi.hoisted(() => ({ keys: [] as string[] }));
vi.mock("./format", async (importOriginal) => {
  const real = await importOriginal<typeof import("./format")>();
  return { ...real, generateKey: (kind: "pat" | "sa") => next.keys.shift() ?? real.generateKey(kind) };
});
const { generateKey } = await vi.importActual<typeof import("./format")>("./format");

const db = withFreshDatabase();

/** Presents `kind`'s next key before it exists: it is remembered as unknown. */
async function rememberedUnknown(kind: "pat" | "sa"): Promise<string> {
  const future = generateKey(kind);
  expect(await verifyKey(future, TEST_CONTEXT)).toMatchObject({ valid: false, code: "unknown" });
  expect(keyCache().get(hashKey(future), Date.now())).toBeNull();
  next.keys.push(future);
  return future;
}

afterEach(() => {
  next.keys.length = 0;
  vi.restoreAllMocks();
});

describe("unknown keys", () => {
  it("a personal key, its rotation's new key and an API account's keys work at once, though their hashes were remembered as unknown", async () => {
    const owner = await makeUser();
    const project = await makeProject();
    await addMember(owner.id, project.id, (await builtInRole("Editor")).id);

    const personal = await rememberedUnknown("pat");
    expect((await createPersonalKey(owner, { name: "New", expiresInDays: 90, restriction: null })).secret).toBe(personal);
    expect(await verifyKey(personal, TEST_CONTEXT)).toMatchObject({ valid: true });

    const old = await createPersonalKey(owner, { name: "Old", expiresInDays: 90, restriction: null });
    const rotated = await rememberedUnknown("pat");
    expect((await rotateKey(owner, old.key.id, 0)).secret).toBe(rotated);
    expect(await verifyKey(rotated, TEST_CONTEXT)).toMatchObject({ valid: true });

    const admin = await makeUser({ isOrgAdmin: true });
    const account = await rememberedUnknown("sa");
    const made = await createApiAccount(admin, { username: `bot-${Date.now()}`, memberships: [{ projectId: project.id, roleId: (await builtInRole("Viewer")).id }] });
    expect(made.secret).toBe(account);
    expect(await verifyKey(account, TEST_CONTEXT)).toMatchObject({ valid: true });

    const regenerated = await rememberedUnknown("sa");
    expect((await regenerateAccountKey(admin, made.id)).secret).toBe(regenerated);
    expect(await verifyKey(regenerated, TEST_CONTEXT)).toMatchObject({ valid: true });
  });

  it("on Postgres, creation tells the other instances to forget the hash, through the invalidation channel", async ({ skip }) => {
    if (db.kind() !== "postgres") skip("Postgres pass only: PGlite is one process, so there is no other instance to tell");
    const other = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    try {
      const heard: { t: string; e?: { scope: string; hashes?: string[] } }[] = [];
      await other.listen("latchkey_key_cache", (payload) => heard.push(JSON.parse(payload)));
      const owner = await makeUser();
      const { secret } = await createPersonalKey(owner, { name: "Announced", expiresInDays: 90, restriction: null });
      await vi.waitFor(() => expect(heard).toContainEqual(expect.objectContaining({ t: "inv", e: { scope: "created", hashes: [hashKey(secret)] } })));
    } finally {
      await other.end();
    }
  });

  it("a flood of made-up keys costs one query per distinct key, not one per request", async () => {
    const handle = await getDatabase();
    const queries = handle.sql ? vi.spyOn(handle.sql, "unsafe") : vi.spyOn(handle.pglite!, "execProtocol");
    const madeUp = Array.from({ length: 5 }, () => generateKey("pat"));
    for (let round = 0; round < 200; round++) {
      const answers = await Promise.all(madeUp.map((k) => verifyKey(k, TEST_CONTEXT)));
      for (const a of answers) expect(a.code).toBe("unknown");
    }
    expect(queries.mock.calls.length).toBe(madeUp.length);
  });
});
