import type { DomainCode } from "@/lib/errors";

/** Where each problem type is explained: a page of this app, one section per code (lib/api/docs.ts). */
export const PROBLEMS_PAGE = "/api-docs/problems";

export type ProblemCode =
  | DomainCode
  | "missing_key"
  | "key_malformed"
  | "key_unknown"
  | "key_expired"
  | "key_revoked"
  | "owner_disabled"
  | "key_in_query"
  | "invalid_json"
  | "unsupported_media_type"
  | "payload_too_large"
  | "rate_limited"
  | "http_error"
  | "internal_error"
  | "database_unavailable";

export type ProblemExplanation = { status: number; meaning: string; fix: string };

/** Every code the API answers with, in the words of the page its `type` points to. */
export const PROBLEM_TYPES: Record<ProblemCode, ProblemExplanation> = {
  missing_key: {
    status: 401,
    meaning: "The request carried no API key.",
    fix: "Send the key in the `Authorization: Bearer <key>` header. Keys are made in the console, in Settings > API Keys.",
  },
  key_malformed: {
    status: 401,
    meaning: "What was sent is not a Latchkey API key: its format or its checksum is wrong. This is nearly always a copy-paste mistake (a character missing, a space or a line break inside).",
    fix: "Copy the whole key again (it starts with `lk_pat_` or `lk_sa_`). The checksum rejects typos before the server looks anything up.",
  },
  key_unknown: {
    status: 401,
    meaning: "The key is well formed, but this server does not know it: it belongs to another Latchkey server, or it (or its owner) was deleted.",
    fix: "Check that you are calling the right server, or generate a new key in Settings > API Keys.",
  },
  key_expired: {
    status: 401,
    meaning: "The key is past its expiry date.",
    fix: "Generate a new key in Settings > API Keys (or rotate the expired one's replacement before it expires, next time).",
  },
  key_revoked: {
    status: 401,
    meaning: "The key was revoked by its owner or a Global Admin, or it was replaced by a rotation and its grace period is over.",
    fix: "Use the key that replaced it, or generate a new one in Settings > API Keys.",
  },
  owner_disabled: {
    status: 401,
    meaning: "The key's owner (a person or an API account) has been disabled by a Global Admin: none of their keys work until they are enabled again.",
    fix: "Ask a Global Admin of your organization.",
  },
  key_in_query: {
    status: 400,
    meaning: "An API key (or a parameter named like one: `key`, `api_key`, `token`, …) was sent in the URL, where it ends up in server logs, proxies and browser history. The request was refused without looking at it.",
    fix: "Send the key in the `Authorization: Bearer <key>` header instead, and rotate a key that has been in a URL.",
  },
  forbidden: {
    status: 403,
    meaning: "The key is valid but may not do this: it lacks the permission or the project, it is limited to some projects, the endpoint is for Global Admins, or a rule about keys made with keys applies. `detail` says which.",
    fix: "Use a key with the access needed, or ask a Global Admin for the role.",
  },
  not_found: {
    status: 404,
    meaning: "No such endpoint, or no such record among the ones this key may see. Someone else's records are answered this way too, so that their ids tell nothing.",
    fix: "Check the path and the id (for keys, `GET /api/v1/keys` lists your own).",
  },
  conflict: {
    status: 409,
    meaning: "The record is in a state that does not allow this: a key already rotated or revoked, the last Global Admin, a role or project still in use. `detail` says which.",
    fix: "Do what `detail` says first, then try again.",
  },
  validation_failed: {
    status: 422,
    meaning: "The request body or its parameters are not valid. `errors` lists the messages per field (`body` for the request as a whole). When the organization's key policy refuses it (a lifetime or grace period too long, no expiration where one is required), `limit` names the limit and its value, e.g. `{ \"name\": \"maxLifetimeDays\", \"value\": 90 }`. Nothing was changed.",
    fix: "Correct the fields named in `errors` and send the request again; within `limit` when one is named (a Global Admin sets the key policy).",
  },
  invalid_json: {
    status: 400,
    meaning: "The request body is not valid JSON.",
    fix: "Send a JSON body (check quotes and commas) with `Content-Type: application/json`.",
  },
  unsupported_media_type: {
    status: 415,
    meaning: "The request body was not sent as JSON.",
    fix: "Send it with `Content-Type: application/json`.",
  },
  payload_too_large: {
    status: 413,
    meaning: "The request body is larger than this endpoint reads.",
    fix: "Send only the fields the endpoint documents.",
  },
  rate_limited: {
    status: 429,
    meaning: "Too many requests: this key is over its limit of requests a minute, or too many failed authentications came from your address.",
    fix: "Wait the number of seconds in `Retry-After`. Every answer's `RateLimit-Remaining` header says how many requests are left in the minute.",
  },
  http_error: {
    status: 400,
    meaning: "The request was refused before it reached an endpoint (the status says why).",
    fix: "Check the method, the path and the headers against this reference.",
  },
  internal_error: {
    status: 500,
    meaning: "Something went wrong on the server. The error was logged there; the request may not have been carried out.",
    fix: "Try again; if it keeps happening, tell the administrator of this Latchkey server.",
  },
  database_unavailable: {
    status: 503,
    meaning: "Latchkey cannot reach its database.",
    fix: "Try again in a moment; if it lasts, tell the administrator of this Latchkey server.",
  },
};

/** RFC 9457 problem details with a stable `code` that clients can switch on. */
export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
  [extra: string]: unknown;
};

/** A relative reference (RFC 9457 §3.1.1), resolved against the API's own address: the page explaining the code. */
export const problemType = (code: ProblemCode) => `${PROBLEMS_PAGE}#${code}`;

export function problem(status: number, code: ProblemCode, title: string, detail: string, extra: Record<string, unknown> = {}): Problem {
  return { type: problemType(code), title, status, detail, code, ...extra };
}

export function problemResponse(p: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(p), {
    status: p.status,
    headers: { "content-type": "application/problem+json", "cache-control": "no-store", "x-content-type-options": "nosniff", ...headers },
  });
}

export const STATUS_TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  409: "Conflict",
  413: "Content too large",
  415: "Unsupported media type",
  422: "Validation failed",
  429: "Too many requests",
  500: "Internal error",
  503: "Service unavailable",
};

/** The usual problem for a status, titled by the status. */
export function problemOf(status: number, code: ProblemCode, detail: string, extra: Record<string, unknown> = {}): Problem {
  return problem(status, code, STATUS_TITLES[status] ?? "Error", detail, extra);
}

/** 401s always say how to authenticate (RFC 6750); the description never repeats the key. */
export function unauthorized(code: ProblemCode, detail: string, headers: Record<string, string> = {}): Response {
  const challenge = code === "missing_key" ? 'Bearer realm="latchkey"' : `Bearer realm="latchkey", error="invalid_token", error_description="${code}"`;
  return problemResponse(problemOf(401, code, detail), { "www-authenticate": challenge, ...headers });
}

/** Field errors keyed by field path (`name`, `restriction`); issues about the body as a whole go under `body`. */
export function validationProblem(errors: Record<string, string[]>, detail?: string): Problem {
  const all = Object.values(errors).flat();
  return problemOf(422, "validation_failed", detail ?? (all.join(" ") || "The request is not valid."), { errors });
}

/** A body over the door's limit (lib/http/body-limit.ts), refused before it is read. */
export function payloadTooLarge(limit: number): Response {
  const size = limit % 1048576 === 0 ? `${limit / 1048576} MiB` : limit % 1024 === 0 ? `${limit / 1024} KiB` : `${limit} bytes`;
  return problemResponse(problemOf(413, "payload_too_large", `The request body is larger than ${size}, the most this endpoint accepts.`));
}
