import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { auditEvents } from "@/lib/db/schema";
import { withFreshDatabase } from "@/lib/test/db";
import { makeUser } from "@/lib/test/fixtures";
import { createProject, renameProject } from "@/lib/projects";
import { listAuditEvents } from "./list";
import { auditQuerySchema } from "./schemas";
import { sentenceText } from "./sentences";

withFreshDatabase();

let admin: Awaited<ReturnType<typeof makeUser>>;
let other: Awaited<ReturnType<typeof makeUser>>;
beforeAll(async () => {
  admin = await makeUser({ isOrgAdmin: true });
  other = await makeUser({ isOrgAdmin: true });
  const p = await createProject(admin, { name: "Audited" });
  await renameProject(other, p.id, { name: "Audited 2" });
  await createProject(other, { name: "Other's" });
  const db = await getDb();
  // An old event, and one by an actor that no longer exists.
  await db.insert(auditEvents).values({ actorId: null, actorLabel: "gone@example.com", action: "project.created", targetLabel: "Ancient", at: sql`'2024-03-10T12:00:00Z'::timestamptz` });
});

const list = (q: Record<string, string>) => listAuditEvents(admin, auditQuerySchema.parse(q));

describe("the audit log", () => {
  it("is newest first", async () => {
    const { rows, total } = await list({});
    expect(total).toBe(4);
    expect(rows.map((r) => r.targetLabel)).toEqual(["Other's", "Audited 2", "Audited", "Ancient"]);
  });

  it("filters by actor (email or username, also of deleted actors), action and date range", async () => {
    expect((await list({ actor: other.email! })).rows.map((r) => r.action)).toEqual(["project.created", "project.renamed"]);
    expect((await list({ actor: admin.username })).rows.map((r) => r.targetLabel)).toEqual(["Audited"]);
    expect((await list({ actor: "gone@example.com" })).rows.map((r) => r.targetLabel)).toEqual(["Ancient"]);
    expect((await list({ actor: "nobody@example.com" })).total).toBe(0);
    expect((await list({ action: "project.renamed" })).rows.map((r) => r.details)).toEqual([{ from: "Audited", to: "Audited 2" }]);
    expect((await list({ from: "2024-03-10", to: "2024-03-10" })).rows.map((r) => r.targetLabel)).toEqual(["Ancient"]);
    expect((await list({ to: "2024-03-09" })).total).toBe(0);
    const today = new Date().toISOString().slice(0, 10);
    expect((await list({ from: today })).total).toBe(3);
  });

  it("lists the first and last days a filter accepts, and the days around a leap day", async () => {
    expect((await list({ from: "1970-01-01", to: "9999-12-31" })).total).toBe(4);
    expect((await list({ from: "9999-12-31" })).total).toBe(0);
    expect((await list({ from: "2024-02-29", to: "2024-03-10" })).rows.map((r) => r.targetLabel)).toEqual(["Ancient"]);
  });

  it("tells each event in words, naming actors as they are called now, or by their label once deleted", async () => {
    const { rows } = await list({});
    expect(rows.map((r) => sentenceText(r.sentence))).toEqual([
      `${other.name} created project “Other's”`,
      `${other.name} renamed project “Audited” to “Audited 2”`,
      `${admin.name} created project “Audited”`,
      "gone@example.com created project “Ancient”",
    ]);
  });

  it("pages", async () => {
    const page2 = await listAuditEvents(admin, { ...auditQuerySchema.parse({}), size: 25, page: 2 });
    expect(page2.rows).toEqual([]);
    expect(page2.total).toBe(4);
  });
});
