import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { createApiApp, errorResponse, fieldErrorsOf } from "./app";
import { type Admission, type Admitted, admit, finish, keyRequestOf } from "./pipeline";
import { payloadTooLarge, problemOf, problemResponse, validationProblem } from "./problem";
import { meAnswer } from "./routes/me";
import { answerVerify, VerifyBody } from "./routes/verify";

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** The largest verify question the fast path reads (a key, a project, a permission): anything bigger is not one. */
const VERIFY_BODY_LIMIT = 4096;

/**
 * The node:http handler behind /api/v1 and /api-docs. Every request goes to
 * the Hono app except the two that keys make most — `GET /api/v1/me` and
 * `POST /api/v1/keys/verify`, exactly those URLs — which are answered here
 * through the same pipeline (lib/api/pipeline.ts: admit, then finish) and the
 * same answers (meAnswer, answerVerify) as their Hono routes, minus Hono's
 * Request and Response objects, router and middleware chain: about half the
 * CPU per request (docs/api.md#benchmark). The routes stay in the Hono app
 * for the OpenAPI document and for every other form of the request (a query
 * string, HEAD); e2e/api.spec.ts holds both ways to the same answers.
 */
export function createApiListener(): Listener {
  const viaHono = getRequestListener(createApiApp().fetch);
  return (req, res) => {
    if (req.method === "GET" && req.url === "/api/v1/me") return answer(req, res, me);
    if (req.method === "POST" && req.url === "/api/v1/keys/verify" && isJson(req)) return answer(req, res, verify);
    void viaHono(req, res);
  };
}

type Answer = { status: number; json?: unknown; text?: string; length?: string };
type Handler = (a: Admitted, req: IncomingMessage) => Answer | Promise<Answer>;

const me: Handler = (a) => ({ status: 200, ...meAnswer(a.verified) });

const verify: Handler = async (a, req) => {
  const body = await readBody(req);
  if (body === undefined) return { status: 413 };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new BadJson();
  }
  const question = VerifyBody.safeParse(parsed);
  if (!question.success) throw new Invalid(fieldErrorsOf(question.error));
  return { status: 200, json: await answerVerify(a, question.data) };
};

class BadJson extends Error {}
class Invalid extends Error {
  constructor(readonly errors: Record<string, string[]>) {
    super("invalid");
  }
}

/** The pipeline around a handler: admit, answer (synchronously when it can), finish. */
function answer(req: IncomingMessage, res: ServerResponse, handle: Handler): void {
  try {
    const admission = admit(keyRequestOf(req.headers));
    // A cached key (nearly every request) is answered without waiting for a promise.
    if (admission instanceof Promise) admission.then((a) => run(a, req, res, handle)).catch((error: unknown) => fail(res, error));
    else run(admission, req, res, handle);
  } catch (error) {
    fail(res, error);
  }
}

function run(admission: Admission, req: IncomingMessage, res: ServerResponse, handle: Handler): void {
  if (!admission.ok) {
    req.resume();
    return void send(res, admission.response);
  }
  const done = (out: Answer) => respond(res, admission, out);
  const failed = (error: unknown) => {
    const response = error instanceof BadJson ? problemResponse(problemOf(400, "invalid_json", "The request body is not valid JSON.")) : error instanceof Invalid ? problemResponse(validationProblem(error.errors)) : errorResponse(error);
    void send(res, response, admission.headers);
    finish(admission, response.status);
  };
  try {
    const out = handle(admission, req);
    if (out instanceof Promise) out.then(done, failed);
    else done(out);
  } catch (error) {
    failed(error);
  }
}

function respond(res: ServerResponse, a: Admitted, out: Answer): void {
  if (out.status === 413) {
    void send(res, payloadTooLarge(VERIFY_BODY_LIMIT), a.headers);
    finish(a, 413);
    return;
  }
  const text = out.text ?? JSON.stringify(out.json);
  const headers: string[] = ["content-type", "application/json", "content-length", out.length ?? String(Buffer.byteLength(text))];
  for (const name in a.headers) headers.push(name, a.headers[name]!);
  res.writeHead(out.status, headers);
  res.end(text);
  finish(a, out.status);
}

/** As the Hono app's onError answers: the mapped problem, or a dropped connection once the answer has begun. */
function fail(res: ServerResponse, error: unknown): void {
  if (res.headersSent) res.destroy();
  else void send(res, errorResponse(error));
}

async function send(res: ServerResponse, response: Response, extra: Record<string, string> = {}): Promise<void> {
  const body = await response.text();
  res.writeHead(response.status, { ...Object.fromEntries(response.headers), ...extra, "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function isJson(req: IncomingMessage): boolean {
  const type = req.headers["content-type"];
  return type !== undefined && /^application\/json\s*(;|$)/i.test(type);
}

/** The whole body as text, or undefined once it passes VERIFY_BODY_LIMIT (the rest is not read). */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  const declared = Number(req.headers["content-length"]);
  if (declared > VERIFY_BODY_LIMIT) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > VERIFY_BODY_LIMIT) {
        req.removeAllListeners("data");
        req.resume();
        resolve(undefined);
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
