import { describe, expect, it } from "vitest";
import { parseGenerateKeyForm } from "./key-form";

const P1 = "11111111-1111-4111-8111-111111111111";
const P2 = "22222222-2222-4222-8222-222222222222";
const R1 = "33333333-3333-4333-8333-333333333333";

function form(fields: Record<string, string | string[]>) {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) f.append(k, x);
  return f;
}

describe("parseGenerateKeyForm", () => {
  it("defaults to 90 days and all my projects", () => {
    expect(parseGenerateKeyForm(form({ name: "  CI  " }))).toMatchObject({ ok: true, input: { name: "CI", expiresInDays: 90, restriction: null } });
  });

  it("reads presets, custom days and no expiration", () => {
    expect(parseGenerateKeyForm(form({ name: "a", expiration: "365" }))).toMatchObject({ input: { expiresInDays: 365 } });
    expect(parseGenerateKeyForm(form({ name: "a", expiration: "custom", customDays: "12" }))).toMatchObject({ input: { expiresInDays: 12 } });
    expect(parseGenerateKeyForm(form({ name: "a", expiration: "never" }))).toMatchObject({ input: { expiresInDays: null } });
  });

  it("says what is wrong next to each field, and hands the values back", () => {
    const result = parseGenerateKeyForm(form({ name: "x".repeat(65), expiration: "custom", customDays: "4000", access: "some" }));
    expect(result).toMatchObject({
      ok: false,
      values: { name: "x".repeat(65), expiration: "custom", customDays: "4000", access: "some" },
      fieldErrors: {
        name: ["Use at most 64 characters."],
        customDays: ["Enter between 1 and 3650 days."],
        restriction: ["Choose at least one project, or allow all your projects."],
      },
    });
    expect(parseGenerateKeyForm(form({ name: "" }))).toMatchObject({ ok: false, fieldErrors: { name: ["Enter a name."] } });
    expect(parseGenerateKeyForm(form({ name: "a", expiration: "custom", customDays: "" }))).toMatchObject({ fieldErrors: { customDays: ["Enter a number of days."] } });
    expect(parseGenerateKeyForm(form({ name: "a", expiration: "custom", customDays: "1.5" }))).toMatchObject({ fieldErrors: { customDays: ["Enter a whole number of days."] } });
    expect(parseGenerateKeyForm(form({ name: "a", expiration: "42" }))).toMatchObject({ fieldErrors: { expiration: ["Choose an expiration."] } });
  });

  it("builds a restriction from the chosen projects and their roles", () => {
    expect(parseGenerateKeyForm(form({ name: "a", access: "some", project: [P1], [`role:${P1}`]: R1, [`role:${P2}`]: R1 }))).toMatchObject({
      ok: true,
      input: { restriction: [{ projectId: P1, roleId: R1 }] },
    });
    expect(parseGenerateKeyForm(form({ name: "a", access: "some", project: [P1] }))).toMatchObject({ ok: false, fieldErrors: { restriction: ["Choose a role."] } });
    // Projects ticked while "All my projects" is chosen do not narrow the key.
    expect(parseGenerateKeyForm(form({ name: "a", access: "all", project: [P1], [`role:${P1}`]: R1 }))).toMatchObject({ input: { restriction: null } });
  });
});
