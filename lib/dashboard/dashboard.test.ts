import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { apiKeyUsageDaily } from "@/lib/db/schema";
import { createPersonalKey, revokeKey } from "@/lib/keys/personal";
import { withFreshDatabase } from "@/lib/test/db";
import { addMember, builtInRole, makeProject, makeUser } from "@/lib/test/fixtures";
import { getDashboard } from "./index";

withFreshDatabase();

const key = (owner: Awaited<ReturnType<typeof makeUser>>, name: string, expiresInDays: number | null = 90) =>
  createPersonalKey(owner, { name, expiresInDays, restriction: null }).then((c) => c.key.id);

async function usedToday(keyId: string, accepted: number) {
  const db = await getDb();
  await db.insert(apiKeyUsageDaily).values({ keyId, day: sql`(now() at time zone 'utc')::date`, accepted, refused: 0 });
}

describe("getDashboard", () => {
  it("shows a person only their own keys' figures and traffic, and a Global Admin the organization's", async () => {
    const admin = await makeUser({ isOrgAdmin: true });
    const ann = await makeUser();
    const ben = await makeUser();
    const project = await makeProject();
    await addMember(ann.id, project.id, (await builtInRole("Viewer")).id);
    const annKey = await key(ann, "Ann's", 5); // within the week that counts as expiring soon
    await key(ann, "Ann's long-lived", null);
    const benKey = await key(ben, "Ben's", 90);
    await key(ben, "Ben's second", 5);
    await revokeKey(ben, await key(ben, "Ben's old"));
    await usedToday(annKey, 3);
    await usedToday(benKey, 40);

    const mine = await getDashboard(ann);
    expect(mine).toMatchObject({ scope: "mine", activeKeys: 2, expiringSoon: 1, projects: 1, gettingStarted: null });
    // Nothing about the organization reaches a person's page.
    expect(mine).not.toHaveProperty("users");
    expect(mine).not.toHaveProperty("apiAccounts");
    expect(mine.requests.reduce((s, d) => s + d.accepted, 0)).toBe(3);

    const org = await getDashboard(admin);
    expect(org).toMatchObject({ scope: "organization", users: 3, apiAccounts: 0, activeKeys: 4, expiringSoon: 2 });
    expect(org.requests.reduce((s, d) => s + d.accepted, 0)).toBe(43);
  });

  it("offers the getting-started steps until the viewer has had a key, with Generate only for those with API access", async () => {
    const newcomer = await makeUser();
    expect((await getDashboard(newcomer)).gettingStarted).toEqual({ canGenerate: true });
    const noAccess = await makeUser({ apiAccess: false });
    expect((await getDashboard(noAccess)).gettingStarted).toEqual({ canGenerate: false });
    const admin = await makeUser({ isOrgAdmin: true, apiAccess: false });
    expect((await getDashboard(admin)).gettingStarted).toEqual({ canGenerate: true });

    // A revoked key still means they know how: the steps do not come back.
    await revokeKey(newcomer, await key(newcomer, "First"));
    expect((await getDashboard(newcomer)).gettingStarted).toBeNull();
    expect(await getDashboard(newcomer)).toMatchObject({ activeKeys: 0 });
  });
});
