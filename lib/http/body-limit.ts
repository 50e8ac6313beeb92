import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * How large a request body may be, by door (README: Request size). The REST
 * API and the sign-in endpoints take small JSON or form bodies; server actions
 * (everything else that has a body) get what Next allows them,
 * `experimental.serverActions.bodySizeLimit` in next.config.ts.
 */
export const API_BODY_LIMIT = 64 * 1024;
export const SERVER_ACTION_BODY_LIMIT = 1024 * 1024;

export function bodyLimitOf(url: string): number {
  return url.startsWith("/api/") ? API_BODY_LIMIT : SERVER_ACTION_BODY_LIMIT;
}

/**
 * Calls `proceed` once the request's body is known to fit in `limit`, or
 * answers 413 with `tooLarge` (and closes the connection) without keeping
 * the body. A declared Content-Length is judged before a byte is read; a
 * body without one (chunked) is held back from the handler and counted as it
 * arrives, then handed over whole, so that a handler never starts on a body
 * that turns out too large.
 */
export function limitBody(req: IncomingMessage, res: ServerResponse, limit: number, proceed: () => void, tooLarge: () => Response): void {
  const declared = req.headers["content-length"];
  if (declared !== undefined) {
    if (Number(declared) > limit) refuse(res, tooLarge());
    else proceed();
    return;
  }
  if (req.headers["transfer-encoding"] === undefined) return proceed();

  // node:http's parser hands each chunk to req.push (and null at the end): keep them until the end.
  const push = req.push.bind(req);
  const held: Buffer[] = [];
  let size = 0;
  let refused = false;
  req.push = (chunk: Buffer | null, encoding?: BufferEncoding) => {
    if (refused) return true;
    if (chunk !== null) {
      size += chunk.length;
      if (size > limit) {
        refused = true;
        held.length = 0;
        refuse(res, tooLarge());
      } else held.push(chunk);
      return true;
    }
    req.push = push;
    proceed();
    for (const c of held) push(c, encoding);
    return push(null);
  };
}

/** Long enough for the client to read the 413 before the connection is reset under the body it is still sending. */
const LINGER_MS = 1_000;

function refuse(res: ServerResponse, response: Response): void {
  const socket = res.socket;
  // node:http ends a Connection: close answer with destroySoon(), and a socket closed while the client still
  // sends is reset, which can discard the 413 before the client reads it. Instead: the answer and FIN, no more
  // reading of this request (it is never parsed or kept), and the socket dropped a moment later.
  if (socket) {
    socket.destroySoon = () => {
      socket.end();
      socket.removeAllListeners("data");
      socket.pause();
      setTimeout(() => socket.destroy(), LINGER_MS).unref();
    };
  }
  void response.text().then((body) => {
    res.writeHead(response.status, { ...Object.fromEntries(response.headers), connection: "close", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
}
