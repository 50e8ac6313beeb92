import "server-only";
import type { MiddlewareHandler } from "hono";
import type { Actor } from "@/lib/audit";
import { getConfig } from "@/lib/config";
import { CLIENT_IP_HEADER } from "@/lib/http/client-ip";
import { usageRecorder } from "@/lib/keys/usage-recorder";
import { verifyKeyEager, type ValidResult, type VerifyResult } from "@/lib/keys/verify";
import type { AdminCaller } from "@/lib/users/caller";
import { problemOf, problemResponse, unauthorized } from "./problem";
import { limiters, rateLimitHeaders } from "./rate-limit";

export type ValidKey = ValidResult;

/** The caller of an authenticated endpoint: the key's verification, and where the request came from. */
export type ApiCaller = {
  verified: ValidKey;
  ip: string;
  userAgent: string | null;
};

/** `admin` is set by the /admin guard (lib/api/admin.ts) once the caller is known to act as a Global Admin. */
export type ApiEnv = { Variables: { caller: ApiCaller; admin?: AdminCaller } };

/** The key's owner as the audit log records an action made through the API. */
export function actorOf(caller: ApiCaller): Actor {
  const { owner, key } = caller.verified;
  return { id: owner.id, label: owner.email ?? owner.username, keyId: key.id, ip: caller.ip, userAgent: caller.userAgent };
}

const KEY_PARAM_NAMES = new Set(["api_key", "apikey", "api-key", "key", "token", "access_token", "x-api-key"]);
const KEY_LIKE = /lk_(pat|sa)_[0-9A-Za-z]{6,}/;

/** Any query parameter that carries (or is named for) a key: URLs end up in logs, proxies and browser history. */
export function keyInQuery(url: string): boolean {
  const q = url.indexOf("?");
  if (q < 0) return false;
  const hash = url.indexOf("#", q);
  const params = new URLSearchParams(url.slice(q + 1, hash < 0 ? undefined : hash));
  for (const [name, value] of params) {
    if (KEY_PARAM_NAMES.has(name.toLowerCase()) || KEY_LIKE.test(value) || KEY_LIKE.test(name)) return true;
  }
  return false;
}

export function keyInQueryResponse(): Response {
  return problemResponse(
    problemOf(
      400,
      "key_in_query",
      "API keys are not accepted in the URL, where they end up in server logs, proxies and browser history. " +
        "Send the key in the Authorization: Bearer <key> header or in X-API-Key, and consider rotating a key that has been in a URL.",
    ),
  );
}

/** The key from `Authorization: Bearer <key>` or `X-API-Key: <key>`; the Authorization header wins when both are sent. */
function presentedKey(authorization: string | undefined, apiKey: string | undefined): string | undefined {
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match) return match[1];
  }
  const fromHeader = apiKey?.trim();
  return fromHeader || undefined;
}

const REFUSALS: Record<Exclude<VerifyResult["code"], "valid">, { status: 401 | 403; code: string }> = {
  malformed: { status: 401, code: "key_malformed" },
  unknown: { status: 401, code: "key_unknown" },
  expired: { status: 401, code: "key_expired" },
  revoked: { status: 401, code: "key_revoked" },
  owner_disabled: { status: 401, code: "owner_disabled" },
  forbidden: { status: 403, code: "forbidden" },
};

/** The stable API code for a verification outcome (also what POST /keys/verify answers). */
export function apiCodeOf(code: VerifyResult["code"]): string {
  return code === "valid" ? "valid" : REFUSALS[code].code;
}

/** What authentication decided: a caller with the headers every answer to it carries, or the refusal to send. */
export type AuthOutcome = { ok: true; caller: ApiCaller; headers: Record<string, string> } | { ok: false; response: Response };

/** The request as authentication sees it: headers only, so that it runs in front of any router. */
export type AuthInput = { ip: string; authorization?: string; apiKey?: string; userAgent?: string };

/**
 * Key authentication: the per-IP limit on failed attempts, verification from
 * the in-process cache, the per-key limit, and refusals counted as usage. No
 * database write on this path, and no Promise while the key is cached.
 */
export function authenticateRequest(input: AuthInput): AuthOutcome | Promise<AuthOutcome> {
  const { authFailures } = limiters(getConfig());
  const blocked = authFailures.peek(input.ip);
  if (!blocked.allowed) {
    return refuse(problemResponse(problemOf(429, "rate_limited", `Too many failed authentications from your address. Try again in ${blocked.resetSeconds} seconds.`), rateLimitHeaders(blocked)));
  }
  const candidate = presentedKey(input.authorization, input.apiKey);
  if (!candidate) {
    authFailures.hit(input.ip);
    return refuse(unauthorized("missing_key", "This endpoint needs an API key: send Authorization: Bearer <key> or X-API-Key: <key>."));
  }
  const verified = verifyKeyEager(candidate);
  return verified instanceof Promise ? verified.then((v) => admit(v, input)) : admit(verified, input);
}

const refuse = (response: Response): AuthOutcome => ({ ok: false, response });

function admit(verified: VerifyResult, input: AuthInput): AuthOutcome {
  const { perKey, authFailures } = limiters(getConfig());
  const usage = usageRecorder();
  if (!verified.valid) {
    authFailures.hit(input.ip);
    if (verified.key) usage.record(verified.key.id, "refused", input.ip);
    const refusal = REFUSALS[verified.code];
    return refuse(refusal.status === 401 ? unauthorized(refusal.code, verified.detail) : problemResponse(problemOf(403, refusal.code, verified.detail)));
  }
  const rate = perKey.hit(verified.key.id);
  const headers = rateLimitHeaders(rate);
  if (!rate.allowed) {
    usage.record(verified.key.id, "refused", input.ip);
    return refuse(problemResponse(problemOf(429, "rate_limited", `This key is over its limit of ${rate.limit} requests a minute. Try again in ${rate.resetSeconds} seconds.`), headers));
  }
  // Answers carry identities and secrets (a new key's): no shared or browser cache keeps them.
  headers["cache-control"] = "no-store";
  return { ok: true, caller: { verified, ip: input.ip, userAgent: input.userAgent ?? null }, headers };
}

/** Counts an answer to an authenticated caller: refusals (401, 403, 429) apart from the rest. */
export function recordAnswer(caller: ApiCaller, status: number): void {
  usageRecorder().record(caller.verified.key.id, status === 401 || status === 403 || status === 429 ? "refused" : "accepted", caller.ip);
}

/** authenticateRequest as Hono middleware, for every endpoint after it. */
export function authenticate(): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const outcome = await authenticateRequest({
      ip: c.req.header(CLIENT_IP_HEADER) ?? "unknown",
      authorization: c.req.header("authorization"),
      apiKey: c.req.header("x-api-key"),
      userAgent: c.req.header("user-agent"),
    });
    if (!outcome.ok) return outcome.response;
    const { caller, headers } = outcome;
    c.set("caller", caller);
    // Set before the handler, so that c.json() keeps @hono/node-server's fast path (no Headers object).
    for (const name in headers) c.header(name, headers[name]!);
    await next();
    // Error answers (onError, the validation hook) are new Responses: they get the headers here.
    if (c.res.status >= 400) for (const name in headers) c.res.headers.set(name, headers[name]!);
    recordAnswer(caller, c.res.status);
  };
}
