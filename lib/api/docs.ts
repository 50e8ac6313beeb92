import "server-only";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Hono } from "hono";
import { PROBLEM_TYPES, type ProblemExplanation, PROBLEMS_PAGE, STATUS_TITLES } from "./problem";

/**
 * /api-docs: Swagger UI from the swagger-ui-dist package on disk, served by
 * this app so that the page loads nothing from the internet. Only the files
 * listed here are served; our own initializer replaces the package's
 * (which points at a public demo API). /api-docs/problems explains every
 * problem code; each problem's `type` points there.
 */
const ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
  "favicon-16x16.png": "image/png",
};

// validatorUrl: null keeps Swagger UI from calling validator.swagger.io; queryConfigEnabled: false stops
// ?url=... from pointing the page at another document; the pasted key lives only as long as the tab.
const INITIALIZER = `window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/api/v1/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    persistAuthorization: false,
    validatorUrl: null,
    queryConfigEnabled: false,
    displayRequestDuration: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
`;

/** Our header on both pages: whose docs these are, and the way back to the console. */
const STYLE = `<style>
  body { margin: 0; }
  .lk-bar { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1.5rem; padding: 0.75rem 1.25rem;
    border-bottom: 1px solid #e2e8f0; background: #0f172a; color: #f8fafc; font: 15px/1.4 system-ui, sans-serif; }
  .lk-bar a { color: inherit; }
  .lk-brand { font-weight: 700; font-size: 1.1rem; text-decoration: none; }
  .lk-brand span { font-weight: 400; color: #cbd5e1; }
  .lk-bar nav { display: flex; flex-wrap: wrap; gap: 0.5rem 1.25rem; margin-left: auto; }
  .lk-main { max-width: 52rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; font: 16px/1.55 system-ui, sans-serif; color: #0f172a; }
  .lk-main section { border-top: 1px solid #e2e8f0; padding: 0.75rem 0.75rem 0.25rem; scroll-margin-top: 1rem; }
  .lk-main section:target { background: #fef9c3; outline: 2px solid #ca8a04; }
  .lk-main h2 { font-size: 1.15rem; margin: 0.25rem 0; overflow-wrap: anywhere; }
  .lk-main h2 span { font-weight: 400; color: #475569; font-size: 1rem; margin-left: 0.5rem; }
  .lk-main code { font-size: 0.92em; background: #f1f5f9; padding: 0 0.2em; border-radius: 3px; overflow-wrap: anywhere; }
  .swagger-ui .wrapper { padding: 0 1rem; }
  .swagger-ui .info .title { overflow-wrap: anywhere; }
  .swagger-ui .opblock .opblock-summary { flex-wrap: wrap; }
  .swagger-ui .opblock .opblock-summary-path { max-width: 100%; overflow-wrap: anywhere; }
  .swagger-ui .microlight, .swagger-ui pre { white-space: pre-wrap; overflow-wrap: anywhere; }
  /* The API defines no OpenAPI links: the column only ever says "No links", and costs a phone its width. */
  .swagger-ui .response-col_links { display: none; }
</style>`;

const HEADER = `<header class="lk-bar">
      <a class="lk-brand" href="/">Latchkey <span>API docs</span></a>
      <nav aria-label="Latchkey">
        <a href="/api-docs">API reference</a>
        <a href="${PROBLEMS_PAGE}">Error codes</a>
        <a href="/">Back to the console</a>
      </nav>
    </header>`;

const head = (title: string, extra = "") => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${title}</title>${extra}
    <link rel="icon" type="image/png" href="/api-docs/assets/favicon-32x32.png" sizes="32x32">
    <link rel="icon" type="image/png" href="/api-docs/assets/favicon-16x16.png" sizes="16x16">
    ${STYLE}
  </head>`;

const PAGE = `${head("Latchkey API docs", `
    <link rel="stylesheet" href="/api-docs/assets/swagger-ui.css">`)}
  <body>
    ${HEADER}
    <main id="swagger-ui"></main>
    <script src="/api-docs/assets/swagger-ui-bundle.js"></script>
    <script src="/api-docs/assets/latchkey-init.js"></script>
  </body>
</html>
`;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** Our own sentences, where `code` marks a header, a field or a value. */
const prose = (text: string) => escapeHtml(text).replace(/`([^`]+)`/g, "<code>$1</code>");

/** The page every problem's `type` points to: one section per code, its anchor the code itself. */
const PROBLEMS = `${head("Latchkey API error codes")}
  <body>
    ${HEADER}
    <main class="lk-main">
      <h1>Latchkey API error codes</h1>
      <p>${prose("Every error of the Latchkey API is `application/problem+json`: `{ type, title, status, detail, code }`. `code` is stable (switch on it); `detail` says what happened in this request; `type` links to the explanation below.")}</p>
${(Object.entries(PROBLEM_TYPES) as [string, ProblemExplanation][])
  .map(
    ([code, p]) => `      <section id="${code}" aria-labelledby="${code}-title">
        <h2 id="${code}-title"><code>${code}</code><span>${p.status} ${escapeHtml(STATUS_TITLES[p.status] ?? "")}</span></h2>
        <p>${prose(p.meaning)}</p>
        <p><strong>What to do:</strong> ${prose(p.fix)}</p>
      </section>`,
  )
  .join("\n")}
    </main>
  </body>
</html>
`;

const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

const files = new Map<string, Uint8Array<ArrayBuffer>>();

function asset(name: string): Uint8Array<ArrayBuffer> {
  let body = files.get(name);
  if (!body) {
    const dir = path.dirname(createRequire(path.join(process.cwd(), "package.json")).resolve("swagger-ui-dist/package.json"));
    body = new Uint8Array(readFileSync(path.join(dir, name)));
    files.set(name, body);
  }
  return body;
}

export function createDocsApp() {
  const docs = new Hono();
  docs.get("/", (c) => c.html(PAGE, 200, { ...SECURITY_HEADERS, "cache-control": "no-cache" }));
  docs.get("/problems", (c) => c.html(PROBLEMS, 200, { ...SECURITY_HEADERS, "cache-control": "no-cache" }));
  docs.get("/assets/latchkey-init.js", (c) =>
    c.body(INITIALIZER, 200, { ...SECURITY_HEADERS, "content-type": "text/javascript; charset=utf-8", "cache-control": "no-cache" }),
  );
  docs.get("/assets/:file", (c) => {
    const name = c.req.param("file");
    const type = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (!type) return c.notFound();
    return c.body(asset(name), 200, { ...SECURITY_HEADERS, "content-type": type, "cache-control": "public, max-age=3600" });
  });
  return docs;
}
