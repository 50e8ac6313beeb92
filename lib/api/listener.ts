import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { CLIENT_IP_HEADER } from "@/lib/http/client-ip";
import { createApiApp, internalError } from "./app";
import { authenticateRequest, recordAnswer, type AuthOutcome } from "./auth";
import { meAnswer } from "./routes/me";

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The node:http handler behind /api/v1 and /api-docs. Every request goes to
 * the Hono app except the one keys make most, `GET /api/v1/me` exactly,
 * which is answered here with the same authentication (authenticateRequest)
 * and the same answer (meAnswer), minus Hono's Request and Response objects,
 * router and middleware chain: about half the CPU per request, see
 * docs/api.md#benchmark. The route stays in the Hono app for the OpenAPI
 * document and for any other form of the request (a query string, HEAD).
 */
export function createApiListener(): Listener {
  const viaHono = getRequestListener(createApiApp().fetch);
  return (req, res) => {
    if (req.method === "GET" && req.url === "/api/v1/me") answerMe(req, res);
    else void viaHono(req, res);
  };
}

function answerMe(req: IncomingMessage, res: ServerResponse): void {
  const h = req.headers;
  try {
    const outcome = authenticateRequest({ ip: String(h[CLIENT_IP_HEADER]), authorization: h.authorization, apiKey: h["x-api-key"] as string | undefined, userAgent: h["user-agent"] });
    // A cached key (nearly every request) is answered without waiting for a promise.
    if (outcome instanceof Promise) outcome.then((o) => respond(res, o)).catch((error: unknown) => fail(res, error));
    else respond(res, outcome);
  } catch (error) {
    fail(res, error);
  }
}

/** As the Hono app's onError answers: a bare 500, or a dropped connection once the answer has begun. */
function fail(res: ServerResponse, error: unknown): void {
  if (res.headersSent) res.destroy();
  else void send(res, internalError(error));
}

function respond(res: ServerResponse, outcome: AuthOutcome): void {
  if (!outcome.ok) return void send(res, outcome.response);
  const { text, length } = meAnswer(outcome.caller.verified);
  const headers: string[] = ["content-type", "application/json", "content-length", length];
  for (const name in outcome.headers) headers.push(name, outcome.headers[name]!);
  res.writeHead(200, headers);
  res.end(text);
  recordAnswer(outcome.caller, 200);
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  const body = await response.text();
  res.writeHead(response.status, { ...Object.fromEntries(response.headers), "content-length": Buffer.byteLength(body) });
  res.end(body);
}
