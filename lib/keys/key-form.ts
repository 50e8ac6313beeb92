import { z } from "zod";
import { allowedLifetimes, defaultExpiryOf, type KeyKindOf, type KeyPolicy, mayNeverExpire, maxLifetimeOf, policyNotice } from "@/lib/policy/key-policy";
import { DEFAULT_EXPIRY_DAYS, EXPIRY_PRESETS, MAX_EXPIRY_DAYS, MIN_EXPIRY_DAYS } from "./lifecycle";
import { type CreateKeyInput, createKeySchema, type UpdateKeyInput, expiresInDaysSchema, keyNameSchema, restrictionSchema } from "./schemas";

/** The Expiration select: the presets, "custom" (a number of days) and "never". */
export const EXPIRATION_CHOICES = [
  ...EXPIRY_PRESETS.map((days) => ({ value: String(days), label: days === 365 ? "1 year" : `${days} days` })),
  { value: "custom", label: "Custom…" },
  { value: "never", label: "No expiration" },
] as const;
export const DEFAULT_EXPIRATION = String(DEFAULT_EXPIRY_DAYS);

/** What an Expiration select may offer under the key policy, and why some choices are missing. */
export type ExpirationOffer = {
  choices: { value: string; label: string }[];
  defaultExpiration: string;
  /** Set when the default is not a preset: the Number of days box starts with it. */
  defaultCustomDays: string;
  maxDays: number;
  notice: string | null;
};

export function expirationOffer(policy: KeyPolicy, kind: KeyKindOf = "pat", preferredDays?: number | null): ExpirationOffer {
  const presets = allowedLifetimes(policy, kind, EXPIRY_PRESETS).map(String);
  const never = mayNeverExpire(policy, kind);
  const choices = EXPIRATION_CHOICES.filter((c) => presets.includes(c.value) || c.value === "custom" || (c.value === "never" && never)).map((c) => ({ ...c }));
  const max = maxLifetimeOf(policy, kind) ?? MAX_EXPIRY_DAYS;
  const preferred = preferredDays === undefined ? defaultExpiryOf(policy, kind) : preferredDays;
  let wanted = preferred === null ? (never ? null : max) : Math.min(preferred, max);
  if (wanted === null) return { choices, defaultExpiration: "never", defaultCustomDays: "", maxDays: max, notice: policyNotice(policy, kind) };
  wanted = Math.max(MIN_EXPIRY_DAYS, wanted);
  const preset = presets.includes(String(wanted));
  return { choices, defaultExpiration: preset ? String(wanted) : "custom", defaultCustomDays: preset ? "" : String(wanted), maxDays: max, notice: policyNotice(policy, kind) };
}

export type GenerateKeyFields = "name" | "expiration" | "customDays" | "restriction";

/** What was submitted, handed back so that the dialog keeps it after React resets the form. */
export type GenerateKeyValues = {
  name: string;
  expiration: string;
  customDays: string;
  access: "all" | "some";
  projects: string[];
  roles: Record<string, string>;
};

const expirationSchema = z.enum(EXPIRATION_CHOICES.map((c) => c.value) as [string, ...string[]], { error: "Choose an expiration." });

/** The Expiration select and its Number of days box, as a lifetime in days (null: no expiration). */
export function parseExpiration(expirationValue: string, customDays: string): { expiresInDays: number | null } | { fieldErrors: Partial<Record<GenerateKeyFields, string[]>> } {
  const expiration = expirationSchema.safeParse(expirationValue);
  if (!expiration.success) return { fieldErrors: { expiration: expiration.error.issues.map((i) => i.message) } };
  if (expiration.data === "never") return { expiresInDays: null };
  if (expiration.data !== "custom") return { expiresInDays: Number(expiration.data) };
  const days = expiresInDaysSchema.safeParse(customDays.trim() === "" ? undefined : Number(customDays));
  if (!days.success) return { fieldErrors: { customDays: [customDays.trim() === "" ? "Enter a number of days." : days.error.issues[0]!.message] } };
  return { expiresInDays: days.data };
}

/** The Generate API key dialog's fields, turned into the one input createPersonalKey takes. */
export function parseGenerateKeyForm(
  form: FormData,
): { ok: true; input: CreateKeyInput; values: GenerateKeyValues } | { ok: false; values: GenerateKeyValues; fieldErrors: Partial<Record<GenerateKeyFields, string[]>> } {
  const projects = form.getAll("project").map(String).slice(0, 200);
  const values: GenerateKeyValues = {
    name: String(form.get("name") ?? "").slice(0, 200),
    expiration: String(form.get("expiration") ?? DEFAULT_EXPIRATION),
    customDays: String(form.get("customDays") ?? "").slice(0, 20),
    access: form.get("access") === "some" ? "some" : "all",
    projects,
    roles: Object.fromEntries(projects.map((id) => [id, String(form.get(`role:${id}`) ?? "")])),
  };
  const fieldErrors: Partial<Record<GenerateKeyFields, string[]>> = {};

  const name = keyNameSchema.safeParse(values.name);
  if (!name.success) fieldErrors.name = name.error.issues.map((i) => i.message);

  const expiry = parseExpiration(values.expiration, values.customDays);
  if ("fieldErrors" in expiry) Object.assign(fieldErrors, expiry.fieldErrors);
  const expiresInDays = "fieldErrors" in expiry ? null : expiry.expiresInDays;

  let restriction: CreateKeyInput["restriction"] = null;
  if (values.access === "some") {
    const parsed = restrictionSchema.safeParse(projects.map((projectId) => ({ projectId, roleId: values.roles[projectId] })));
    if (!parsed.success) fieldErrors.restriction = [...new Set(parsed.error.issues.map((i) => i.message))];
    else restriction = parsed.data;
  }

  if (Object.keys(fieldErrors).length > 0) return { ok: false, values, fieldErrors };
  return { ok: true, values, input: createKeySchema.parse({ name: name.data, expiresInDays, restriction }) };
}

/**
 * The Edit access key dialog: the Generate fields, where Expiration may also
 * be "keep" (the key keeps its expiry) and the name and access are always sent.
 */
export function parseEditKeyForm(
  form: FormData,
): { ok: true; input: UpdateKeyInput } | { ok: false; fieldErrors: Partial<Record<GenerateKeyFields, string[]>> } {
  const keep = form.get("expiration") === "keep" || form.get("expiration") === null;
  const copy = new FormData();
  for (const [k, v] of form) copy.append(k, v);
  if (keep) copy.set("expiration", DEFAULT_EXPIRATION);
  const parsed = parseGenerateKeyForm(copy);
  if (!parsed.ok) return { ok: false, fieldErrors: parsed.fieldErrors };
  const { name, expiresInDays, restriction } = parsed.input;
  return { ok: true, input: keep ? { name, restriction } : { name, expiresInDays, restriction } };
}

/** The Expiration choices of the Edit dialog: "Keep the current expiry" first. */
export function editExpirationOffer(policy: KeyPolicy, kind: KeyKindOf): ExpirationOffer {
  const offer = expirationOffer(policy, kind);
  return { ...offer, choices: [{ value: "keep", label: "Keep the current expiry" }, ...offer.choices], defaultExpiration: "keep", defaultCustomDays: offer.defaultCustomDays || String(defaultExpiryOf(policy, kind) ?? offer.maxDays) };
}
