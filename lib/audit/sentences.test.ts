import { describe, expect, it } from "vitest";
import { AUDIT_ACTIONS, type AuditAction } from "./actions";
import { describeAuditEvent, type NamedEvent, type Party, SENTENCES, sentenceText } from "./sentences";

const ada: Party = { id: "a0000000-0000-4000-8000-000000000001", name: "Ada Admin", kind: "person" };
const bob: Party = { id: "b0000000-0000-4000-8000-000000000002", name: "Bob Builder", kind: "person" };
const bot: Party = { id: "c0000000-0000-4000-8000-000000000003", name: "ci-bot", kind: "api_account" };
const UUID = "5d3c1c8e-3f0a-4f8e-9b1a-6a9f7e2d4c11";
const alpha = { project: "Alpha", role: "Editor" };
const beta = { project: "Beta", role: "Viewer" };

const event = (e: Partial<NamedEvent> & { action: string }): NamedEvent => ({ actor: ada, viaKey: null, targetLabel: null, details: null, ...e });

/** Every action, with the details its writer in lib/ records (keep in step with them). */
const SAMPLES: Record<AuditAction, NamedEvent> = {
  "auth.signed_in": event({ action: "auth.signed_in", targetLabel: "ada@example.com" }),
  "auth.sign_in_failed": event({ action: "auth.sign_in_failed", actor: { id: null, name: "ada@example.com", kind: "unknown" }, targetLabel: "ada@example.com", details: { reason: "wrong_password" } }),
  "setup.completed": event({ action: "setup.completed", user: ada, targetLabel: "ada" }),
  "user.created": event({ action: "user.created", user: bob, targetLabel: "bob@example.com", details: { isOrgAdmin: false, apiAccess: true, memberships: [alpha] } }),
  "user.updated": event({ action: "user.updated", user: bob, targetLabel: "bob@example.com", details: { name: { from: "Bob", to: "Bob Builder" } } }),
  "user.roles_changed": event({
    action: "user.roles_changed",
    user: bob,
    targetLabel: "bob@example.com",
    details: { isOrgAdmin: { from: false, to: true }, apiAccess: { from: true, to: false }, memberships: { from: [alpha], to: [alpha, beta] } },
  }),
  "user.disabled": event({ action: "user.disabled", user: bot, targetLabel: "ci-bot", details: { kind: "api_account" } }),
  "user.enabled": event({ action: "user.enabled", user: bot, targetLabel: "ci-bot", details: { kind: "api_account" } }),
  "user.deleted": event({ action: "user.deleted", targetLabel: "ci-bot", details: { kind: "api_account", username: "ci-bot", memberships: [alpha], keysDeleted: 2 } }),
  "user.password_changed": event({ action: "user.password_changed", actor: bob, user: bob, targetLabel: "bob@example.com" }),
  "user.password_change_failed": event({ action: "user.password_change_failed", actor: bob, user: bob, targetLabel: "bob@example.com" }),
  "user.password_reset": event({ action: "user.password_reset", user: bob, targetLabel: "bob@example.com", details: { sessionsEnded: 2 } }),
  "user.signed_out_everywhere": event({ action: "user.signed_out_everywhere", user: bob, targetLabel: "bob@example.com", details: { sessionsEnded: 1 } }),
  "user.signed_out_other_sessions": event({ action: "user.signed_out_other_sessions", actor: bob, user: bob, targetLabel: "bob@example.com", details: { sessionsEnded: 3 } }),
  "account.created": event({ action: "account.created", user: bot, targetLabel: "ci-bot", details: { memberships: [alpha, beta] } }),
  "key.created": event({ action: "key.created", key: { name: "CI", owner: ada }, targetLabel: "CI", details: { expiresInDays: 30, restricted: true } }),
  "key.rotated": event({
    action: "key.rotated",
    key: { name: "Production", owner: ada },
    targetLabel: "Production",
    details: { newKeyId: UUID, graceSeconds: 86_400, oldKeyStopsAt: "2026-12-01T14:59:00.000Z" },
  }),
  "key.revoked": event({ action: "key.revoked", key: { name: "CI", owner: ada }, targetLabel: "CI", details: { reason: "made with a revoked key" } }),
  "key.revealed": event({ action: "key.revealed", key: { name: "Default", owner: bot }, targetLabel: "ci-bot / Default" }),
  "key.regenerated": event({ action: "key.regenerated", key: { name: "Default", owner: bot }, targetLabel: "ci-bot / Default", details: { revokedKeyIds: [UUID] } }),
  "key.edited": event({
    action: "key.edited",
    key: { name: "CI 2", owner: ada },
    targetLabel: "CI 2",
    details: { name: { from: "CI", to: "CI 2" }, expiresAt: { from: null, to: "2026-06-01T00:00:00.000Z" }, restriction: { from: null, to: [{ projectId: UUID, roleId: UUID }] } },
  }),
  "key_policy.updated": event({
    action: "key_policy.updated",
    targetLabel: "Key policy",
    details: {
      before: { maxLifetimeDays: null, allowNoExpiry: true, defaultExpiryDays: 90, maxGrace: "7d", maxAccountKeyLifetimeDays: null },
      after: { maxLifetimeDays: 90, allowNoExpiry: false, defaultExpiryDays: 30, maxGrace: "24h", maxAccountKeyLifetimeDays: null },
    },
  }),
  "key.revoked_by_admin": event({
    action: "key.revoked_by_admin",
    key: { name: "Laptop", owner: bob },
    targetLabel: "bob / Laptop",
    details: { name: "Laptop", key: "lk_pat_AbCd…wxyz", owner: { id: bob.id, name: "Bob Builder", username: "bob", kind: "human" }, scope: "owner", of: 3 },
  }),
  "keys.exported": event({ action: "keys.exported", details: { count: 12, filters: { status: "active", usage: "90" } } }),
  "project.created": event({ action: "project.created", targetLabel: "Alpha", details: { slug: "alpha" } }),
  "project.renamed": event({ action: "project.renamed", targetLabel: "Alpha Two", details: { from: "Alpha", to: "Alpha Two" } }),
  "project.deleted": event({ action: "project.deleted", targetLabel: "Alpha", details: { slug: "alpha", removedMembers: 3 } }),
  "role.created": event({ action: "role.created", targetLabel: "Auditor", details: { permissions: ["logs:read", "metrics:read"] } }),
  "role.updated": event({
    action: "role.updated",
    targetLabel: "Auditors",
    details: { name: { from: "Auditor", to: "Auditors" }, permissions: { from: ["logs:read"], to: ["logs:read", "logs:write"] } },
  }),
  "role.deleted": event({ action: "role.deleted", targetLabel: "Auditor", details: { permissions: ["logs:read"] } }),
};

const EXPECTED: Record<AuditAction, string> = {
  "auth.signed_in": "Ada Admin signed in",
  "auth.sign_in_failed": "A sign-in as ada@example.com failed (wrong password)",
  "setup.completed": "Ada Admin completed setup and became the first Global Admin",
  "user.created": "Ada Admin added Bob Builder (bob@example.com), with projects Alpha (Editor)",
  "user.updated": "Ada Admin renamed Bob to Bob Builder",
  "user.roles_changed": "Ada Admin made Bob Builder a Global Admin; took API access away from Bob Builder; changed Bob Builder’s projects to Alpha (Editor), Beta (Viewer)",
  "user.disabled": "Ada Admin disabled API account ci-bot",
  "user.enabled": "Ada Admin enabled API account ci-bot",
  "user.deleted": "Ada Admin deleted API account ci-bot and its 2 keys",
  "user.password_changed": "Bob Builder changed their password",
  "user.password_change_failed": "Bob Builder entered a wrong current password while changing their password",
  "user.password_reset": "Ada Admin set a temporary password for Bob Builder, who must change it at the next sign-in; 2 sessions ended",
  "user.signed_out_everywhere": "Ada Admin signed Bob Builder out everywhere (1 session ended)",
  "user.signed_out_other_sessions": "Bob Builder signed out of their other sessions (3 sessions ended)",
  "account.created": "Ada Admin created API account ci-bot with projects Alpha (Editor), Beta (Viewer)",
  "key.created": "Ada Admin generated key “CI”, expiring in 30 days, limited to some projects",
  "key.rotated": "Ada Admin rotated key “Production”; the old key stops working 2026-12-01T14:59:00.000Z",
  "key.revoked": "Ada Admin revoked key “CI”; it was made with a revoked key",
  "key.revealed": "Ada Admin revealed API account ci-bot’s key “Default”",
  "key.regenerated": "Ada Admin regenerated API account ci-bot’s key “Default”; the previous key stopped working",
  "key.edited": "Ada Admin renamed key “CI” to “CI 2”; it is now limited to some projects; it now expires 2026-06-01T00:00:00.000Z",
  "key_policy.updated":
    "Ada Admin changed the key policy: personal keys live at most 90 days (was: personal keys live without a limit); “No expiration” not allowed (was: “No expiration” allowed); default expiry 30 days (was: default expiry 90 days); longest grace period 24h (was: longest grace period 7d)",
  "key.revoked_by_admin": "Ada Admin revoked Bob Builder’s key “Laptop” (lk_pat_AbCd…wxyz) as a Global Admin, revoking all of their keys",
  "keys.exported": "Ada Admin exported the key inventory as CSV (12 keys; filters status=active, usage=90)",
  "project.created": "Ada Admin created project “Alpha”",
  "project.renamed": "Ada Admin renamed project “Alpha” to “Alpha Two”",
  "project.deleted": "Ada Admin deleted project “Alpha” and removed its 3 members",
  "role.created": "Ada Admin created role “Auditor” with logs:read, metrics:read",
  "role.updated": "Ada Admin renamed role “Auditor” to “Auditors” and changed its permissions to logs:read, logs:write",
  "role.deleted": "Ada Admin deleted role “Auditor”",
};

/** Field names that are words too ("permissions", "from", "to"), and are allowed as words, are left out. */
const INTERNAL_WORDS = ["memberships", "username", "slug", "kind", "reason"];

/** Every key of the details, nested ones too. */
function fieldNames(value: unknown): string[] {
  if (!value || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => [k, ...fieldNames(v)]);
}

describe("audit sentences", () => {
  const actions = Object.keys(AUDIT_ACTIONS) as AuditAction[];

  it("every action kind has its own sentence", () => {
    expect(Object.keys(SENTENCES).sort()).toEqual([...actions].sort());
  });

  it.each(actions)("%s reads as a sentence, without field names, ids or JSON", (action) => {
    const sample = SAMPLES[action];
    const text = sentenceText(describeAuditEvent(sample));
    expect(text).toBe(EXPECTED[action]);
    for (const field of fieldNames(sample.details).filter((f) => /[A-Z_.]/.test(f) || INTERNAL_WORDS.includes(f))) expect(text).not.toContain(field);
    expect(text).not.toMatch(/[{}[\]]|undefined|null|NaN|\[object|\(user\)|[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(text).not.toContain(action);
  });

  it("keeps the rotation's time apart, for the viewer's time zone", () => {
    expect(describeAuditEvent(SAMPLES["key.rotated"])).toEqual(["Ada Admin rotated key “Production”; the old key stops working ", { at: "2026-12-01T14:59:00.000Z" }]);
    const atOnce = { ...SAMPLES["key.rotated"], details: { newKeyId: UUID, graceSeconds: 0, oldKeyStopsAt: "2026-12-01T14:59:00.000Z" } };
    expect(sentenceText(describeAuditEvent(atOnce))).toBe("Ada Admin rotated key “Production”; the old key stopped working at once");
  });

  it("names API accounts as such when they act, and says which key they used", () => {
    const e = event({ action: "key.rotated", actor: bot, viaKey: { name: "Default" }, key: { name: "Default", owner: bot }, details: { graceSeconds: 0 } });
    expect(sentenceText(describeAuditEvent(e))).toBe("API account ci-bot rotated key “Default”; the old key stopped working at once, using API key “Default”");
    expect(sentenceText(describeAuditEvent({ ...e, viaKey: { name: null } }))).toMatch(/, using an API key since deleted$/);
  });

  it("falls back to the labels the event kept when people and keys are gone", () => {
    const gone = event({ action: "user.disabled", actor: { id: null, name: "old-admin@example.com", kind: "unknown" }, targetLabel: "bob@example.com", details: { kind: "human" } });
    expect(sentenceText(describeAuditEvent(gone))).toBe("old-admin@example.com disabled bob@example.com");
    const key = event({ action: "key.revoked", targetLabel: "CI", details: { reason: "revoked by owner" } });
    expect(sentenceText(describeAuditEvent(key))).toBe("Ada Admin revoked key “CI”");
    const unknown = event({ action: "key.exploded", targetLabel: "CI" });
    expect(sentenceText(describeAuditEvent(unknown))).toBe("Ada Admin: key.exploded (CI)");
  });

  it("names the owner of a key an admin revoked even after the owner is deleted", () => {
    const gone = event({
      action: "key.revoked_by_admin",
      targetLabel: "ci-bot / Default",
      details: { name: "Default", key: "lk_sa_Zx8y…C7b2", owner: { id: bot.id, name: "ci-bot", username: "ci-bot", kind: "api_account" }, scope: "selection", of: 2 },
    });
    expect(sentenceText(describeAuditEvent(gone))).toBe("Ada Admin revoked API account ci-bot’s key “Default” (lk_sa_Zx8y…C7b2) as a Global Admin, with 1 other key selected");
    const own = event({ action: "key.revoked_by_admin", key: { name: "CI", owner: ada }, details: { name: "CI", scope: "key" } });
    expect(sentenceText(describeAuditEvent(own))).toBe("Ada Admin revoked their own key “CI” as a Global Admin");
  });

  it("reads the start-up admin's record and removals from every project", () => {
    const system: Party = { id: null, name: "Latchkey at start-up", kind: "system" };
    const created = event({ action: "user.created", actor: system, user: { id: ada.id, name: "Administrator", kind: "person" }, targetLabel: "ada@example.com", details: { isOrgAdmin: true } });
    expect(sentenceText(describeAuditEvent(created))).toBe("Latchkey at start-up added Administrator (ada@example.com) as a Global Admin");
    const promoted = event({ action: "user.roles_changed", actor: system, user: ada, targetLabel: "ada@example.com", details: { isOrgAdmin: true } });
    expect(sentenceText(describeAuditEvent(promoted))).toBe("Latchkey at start-up made Ada Admin a Global Admin");
    const removed = event({ action: "user.roles_changed", user: bob, details: { memberships: { from: [alpha], to: [] } } });
    expect(sentenceText(describeAuditEvent(removed))).toBe("Ada Admin removed Bob Builder from every project");
  });
});
