import "server-only";
import type { MiddlewareHandler } from "hono";
import type { Caller } from "@/lib/caller";
import { CLIENT_IP_HEADER } from "@/lib/http/client-ip";
import { usageRecorder } from "@/lib/keys/usage-recorder";
import { callerOf, type RequestContext, type ValidResult, type VerifyResult, verifyKeyEager } from "@/lib/keys/verify";
import { type ProblemCode, problemOf, problemResponse, unauthorized } from "./problem";
import { limiters, rateLimitHeaders } from "./rate-limit";

/**
 * The one way a key-authenticated request goes, each step once:
 *
 *   parse (the key from its header) → verify (with the request's context) →
 *   limit (per address for failures, per key) → answer → record usage
 *
 * `admit` does the first three and `finish` the last; between them the
 * answer is the route's. The GET /me and POST /keys/verify fast paths
 * (lib/api/listener.ts) and every Hono route (the `authenticate` middleware)
 * call the same two. No database write on this path, and no Promise while
 * the key is cached.
 */

export type ValidKey = ValidResult;

/** An admitted request: who is calling, its verified key, and the headers every answer to it carries. */
export type Admitted = { ok: true; caller: Caller; verified: ValidKey; headers: Record<string, string> };
export type Admission = Admitted | { ok: false; response: Response };

/** The request as the pipeline sees it: headers only, so that it runs in front of any router. */
export type KeyRequest = RequestContext & { authorization?: string; apiKey?: string };

/** `caller` and `verified` are set by `authenticate()` for every endpoint after it. */
export type ApiEnv = { Variables: { caller: Caller; verified: ValidKey } };

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

const REFUSALS: Record<Exclude<VerifyResult["code"], "valid">, { status: 401 | 403; code: ProblemCode }> = {
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

const refuse = (response: Response): Admission => ({ ok: false, response });

/** parse → verify → limit. */
export function admit(req: KeyRequest): Admission | Promise<Admission> {
  const { authFailures } = limiters();
  const blocked = authFailures.peek(req.ip);
  if (!blocked.allowed) {
    return refuse(problemResponse(problemOf(429, "rate_limited", `Too many failed authentications from your address. Try again in ${blocked.resetSeconds} seconds.`), rateLimitHeaders(blocked)));
  }
  const candidate = presentedKey(req.authorization, req.apiKey);
  if (!candidate) {
    authFailures.hit(req.ip);
    return refuse(unauthorized("missing_key", "This endpoint needs an API key: send Authorization: Bearer <key> or X-API-Key: <key>."));
  }
  const verified = verifyKeyEager(candidate, req);
  return verified instanceof Promise ? verified.then((v) => limit(v, req)) : limit(verified, req);
}

function limit(verified: VerifyResult, req: KeyRequest): Admission {
  const { perKey, authFailures } = limiters();
  if (!verified.valid) {
    authFailures.hit(req.ip);
    if (verified.key) recordUse(verified.key.id, false, req.ip);
    const refusal = REFUSALS[verified.code];
    return refuse(refusal.status === 401 ? unauthorized(refusal.code, verified.detail) : problemResponse(problemOf(403, refusal.code, verified.detail)));
  }
  const rate = perKey.hit(verified.key.id);
  const headers = rateLimitHeaders(rate);
  if (!rate.allowed) {
    recordUse(verified.key.id, false, req.ip);
    return refuse(problemResponse(problemOf(429, "rate_limited", `This key is over its limit of ${rate.limit} requests a minute. Try again in ${rate.resetSeconds} seconds.`), headers));
  }
  // Answers carry identities and secrets (a new key's): no shared or browser cache keeps them.
  headers["cache-control"] = "no-store";
  return { ok: true, caller: callerOf(verified, req), verified, headers };
}

/** record usage: the answer to an admitted request, refusals (401, 403, 429) apart from the rest. */
export function finish(a: Admitted, status: number): void {
  recordUse(a.verified.key.id, status !== 401 && status !== 403 && status !== 429, a.caller.ip);
}

/** A key that another service asked about (POST /keys/verify): checking it counts as a use of it. */
export function recordChecked(result: VerifyResult, ip: string): void {
  if (result.key) recordUse(result.key.id, result.valid, ip);
}

function recordUse(keyId: string, accepted: boolean, ip: string): void {
  usageRecorder().record(keyId, accepted ? "accepted" : "refused", ip);
}

/** The request's context and key headers, as node:http gives them. */
export function keyRequestOf(h: Record<string, string | string[] | undefined>): KeyRequest {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  return { ip: one(h[CLIENT_IP_HEADER]) ?? "unknown", userAgent: one(h["user-agent"]) ?? null, authorization: one(h.authorization), apiKey: one(h["x-api-key"]) };
}

/** The pipeline as Hono middleware, for every endpoint after it. */
export function authenticate(): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const admitted = await admit({
      ip: c.req.header(CLIENT_IP_HEADER) ?? "unknown",
      userAgent: c.req.header("user-agent") ?? null,
      authorization: c.req.header("authorization"),
      apiKey: c.req.header("x-api-key"),
    });
    if (!admitted.ok) return admitted.response;
    c.set("caller", admitted.caller);
    c.set("verified", admitted.verified);
    // Set before the handler, so that c.json() keeps @hono/node-server's fast path (no Headers object).
    for (const name in admitted.headers) c.header(name, admitted.headers[name]!);
    await next();
    // Error answers (onError, the validation hook) are new Responses: they get the headers here.
    if (c.res.status >= 400) for (const name in admitted.headers) c.res.headers.set(name, admitted.headers[name]!);
    finish(admitted, c.res.status);
  };
}
