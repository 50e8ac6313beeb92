import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { query as restAuditQuery } from "@/lib/api/routes/admin-audit";
import { listQuery as restUserListQuery } from "@/lib/api/routes/admin-users";
import { VerifyBody as restVerifyBody } from "@/lib/api/routes/verify";
import { auditQuerySchema } from "@/lib/audit/schemas";
import { parseGenerateKeyForm } from "@/lib/keys/key-form";
import { createKeySchema, keyNameSchema } from "@/lib/keys/schemas";
import { projectInputSchema } from "@/lib/projects/schemas";
import { roleChangesSchema, roleInputSchema } from "@/lib/roles/schemas";
import { createApiAccountSchema, createPersonSchema, firstAdminSchema, updateUserSchema, userListQuerySchema } from "@/lib/users/schemas";
import { calendarDate, parseLeniently, safeText } from "./validation";

const PROJECT_ID = "0b6f8a5e-8d0c-4f43-9a43-2f3f8a1c9d10";
const ROLE_ID = "3f7d2a10-5b4c-4e8f-9a21-7c6d5e4f3a20";

/** What Postgres refuses (NUL) or what would mislead a reader of the name (controls, line breaks, direction overrides, broken UTF-16). */
const BAD_TEXT: [string, string][] = [
  ["a NUL", "Ada\u0000Lovelace"],
  ["only a NUL", "\u0000"],
  ["a bell", "Ada\u0007"],
  ["an escape sequence", "\u001b[31mAda"],
  ["a line break inside", "Ada\nLovelace"],
  ["a tab inside", "Ada\tLovelace"],
  ["DEL", "Ada\u007f"],
  ["a C1 control", "Ada\u0085"],
  ["a right-to-left override", "Ada\u202Egnp.exe"],
  ["a directional isolate", "Ada\u2066x\u2069"],
  ["a line separator", "Ada\u2028Lovelace"],
  ["a lone surrogate", "Ada\uD800"],
];

/** Dates that are not days of the calendar, or outside the range the database and people use. */
const BAD_DATES = ["2026-02-30", "2026-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00", "0000-01-01", "1969-12-31", "2026-1-1", "20260301", "2026-03-01T00:00", "2026-03-01\u0000", "+02026-03-01", ""];
const GOOD_DATES = ["1970-01-01", "2024-02-29", "2026-03-01", "2026-12-31", "9999-12-31"];

type Row = { name: string; schema: z.ZodType; valid: Record<string, unknown>; text: string[]; dates?: string[]; multiline?: string[] };

/** Every schema that takes a name, a search or a date from outside, with a valid input and the fields to spoil. */
const ROWS: Row[] = [
  { name: "keys: createKeySchema", schema: createKeySchema, valid: { name: "CI deploy" }, text: ["name"] },
  { name: "users: createPersonSchema", schema: createPersonSchema, valid: { name: "Grace Hopper", email: "grace@example.com" }, text: ["name", "email"] },
  { name: "users: updateUserSchema", schema: updateUserSchema, valid: { name: "Grace Hopper" }, text: ["name"] },
  { name: "users: createApiAccountSchema", schema: createApiAccountSchema, valid: { username: "billing-sync", memberships: [{ projectId: PROJECT_ID, roleId: ROLE_ID }] }, text: ["username"] },
  { name: "users: firstAdminSchema (setup)", schema: firstAdminSchema, valid: { name: "Ada", email: "ada@example.com", password: "a-long-password-123" }, text: ["name", "email"] },
  { name: "users: userListQuerySchema (console)", schema: userListQuerySchema, valid: { q: "ada" }, text: ["q"] },
  { name: "projects: projectInputSchema", schema: projectInputSchema, valid: { name: "Billing" }, text: ["name"] },
  { name: "roles: roleInputSchema", schema: roleInputSchema, valid: { name: "Auditor", description: "Reads.", permissions: ["invoices:read"] }, text: ["name"], multiline: ["description"] },
  { name: "roles: roleChangesSchema", schema: roleChangesSchema, valid: { name: "Auditor", description: "Reads." }, text: ["name"], multiline: ["description"] },
  { name: "audit: auditQuerySchema (console)", schema: auditQuerySchema, valid: { actor: "ada@example.com", from: "2026-03-01", to: "2026-03-31" }, text: ["actor"], dates: ["from", "to"] },
  { name: "REST: GET /admin/users query", schema: restUserListQuery, valid: { q: "ada" }, text: ["q"] },
  { name: "REST: GET /admin/audit-events query", schema: restAuditQuery, valid: { actor: "ada@example.com", from: "2026-03-01", to: "2026-03-31" }, text: ["actor"], dates: ["from", "to"] },
  { name: "REST: POST /keys/verify body", schema: restVerifyBody, valid: { key: "lk_pat_x", project: "billing" }, text: ["project"] },
];

const fieldsOf = (schema: z.ZodType, input: unknown) => {
  const result = schema.safeParse(input);
  if (result.success) return null;
  return [...new Set(result.error.issues.map((i) => String(i.path[0] ?? "")))];
};

describe.each(ROWS)("$name", ({ schema, valid, text, dates = [], multiline = [] }) => {
  it("accepts the valid input", () => {
    expect(fieldsOf(schema, valid)).toBeNull();
  });

  it.each(text.flatMap((field) => BAD_TEXT.map(([what, value]) => ({ field, what, value }))))("refuses $what in $field, on that field", ({ field, value }) => {
    expect(fieldsOf(schema, { ...valid, [field]: value })).toEqual([field]);
  });

  it.each(multiline.flatMap((field) => BAD_TEXT.filter(([what]) => !/line break|tab/.test(what)).map(([what, value]) => ({ field, what, value }))))(
    "refuses $what in $field, on that field",
    ({ field, value }) => {
      expect(fieldsOf(schema, { ...valid, [field]: value })).toEqual([field]);
    },
  );

  it.each(multiline)("keeps line breaks and tabs in %s", (field) => {
    expect(fieldsOf(schema, { ...valid, [field]: "First line\n\tsecond line\r\nthird" })).toBeNull();
  });

  it.each(dates.flatMap((field) => BAD_DATES.map((value) => ({ field, value }))))("refuses $field=$value, on that field", ({ field, value }) => {
    expect(fieldsOf(schema, { ...valid, from: undefined, to: undefined, [field]: value })).toEqual([field]);
  });

  it.each(dates.flatMap((field) => GOOD_DATES.map((value) => ({ field, value }))))("accepts $field=$value", ({ field, value }) => {
    expect(fieldsOf(schema, { ...valid, from: undefined, to: undefined, [field]: value })).toBeNull();
  });
});

describe("names people really have still pass", () => {
  it.each(["Zoë Ünal-Øberg", "O’Brien", "李小龙", "محمد\u200F علي", "Ada 🚀", "  Ada  "])("%s", (name) => {
    expect(createPersonSchema.safeParse({ name, email: "a@example.com" }).success).toBe(true);
    expect(projectInputSchema.safeParse({ name }).success).toBe(true);
    expect(keyNameSchema.safeParse(name).success).toBe(true);
  });
});

describe("the Generate API key form", () => {
  const form = (name: string) => {
    const f = new FormData();
    f.set("name", name);
    f.set("expiration", "30");
    return f;
  };
  // FormData holds USVStrings: a lone surrogate arrives as U+FFFD, which is a character like any other.
  it.each(BAD_TEXT.filter(([what]) => what !== "a lone surrogate"))("refuses %s in the name, on the name field", (_, value) => {
    const parsed = parseGenerateKeyForm(form(value));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(Object.keys(parsed.fieldErrors)).toEqual(["name"]);
  });
  it("accepts a plain name", () => {
    expect(parseGenerateKeyForm(form("CI")).ok).toBe(true);
  });
});

describe("the building blocks", () => {
  it("safeText trims, then says what is wrong in words", () => {
    const name = safeText(10, { required: "Enter a name." });
    expect(name.parse("  Ada \n")).toBe("Ada");
    expect(name.safeParse("A\u0000").error?.issues.map((i) => i.message)).toEqual([expect.stringMatching(/control characters/)]);
    expect(name.safeParse(" ").error?.issues.map((i) => i.message)).toEqual(["Enter a name."]);
    expect(name.safeParse("x".repeat(11)).error?.issues.map((i) => i.message)).toEqual(["Use at most 10 characters."]);
  });

  it("calendarDate gives the same message for every impossible day", () => {
    const day = calendarDate("Use a date like 2026-03-01.");
    for (const value of BAD_DATES) expect(day.safeParse(value).error?.issues.map((i) => i.message)).toEqual(["Use a date like 2026-03-01."]);
  });

  it("parseLeniently leaves out what is wrong, says why, and keeps the rest", () => {
    expect(parseLeniently(auditQuerySchema, { actor: "ada\u0000", from: "2026-02-30", to: "2026-03-31", page: "2" })).toEqual({
      data: expect.objectContaining({ actor: undefined, from: undefined, to: "2026-03-31", page: 2 }),
      ignored: { actor: [expect.stringMatching(/control characters/)], from: ["Use a date like 2026-03-01."] },
    });
    expect(parseLeniently(auditQuerySchema, { from: "2026-03-31", to: "2026-03-01" })).toEqual({
      data: expect.objectContaining({ from: "2026-03-31", to: undefined }),
      ignored: { to: ["The last day comes before the first."] },
    });
    expect(parseLeniently(userListQuerySchema, { q: ["ada", "bob"], size: "1000" })).toEqual({ data: expect.objectContaining({ q: "ada", size: 25 }), ignored: {} });
  });
});
