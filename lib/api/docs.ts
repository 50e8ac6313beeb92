import "server-only";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Hono } from "hono";

/**
 * /api-docs: Swagger UI from the swagger-ui-dist package on disk, served by
 * this app so that the page loads nothing from the internet. Only the files
 * listed here are served; our own initializer replaces the package's
 * (which points at a public demo API).
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

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Latchkey API docs</title>
    <link rel="stylesheet" href="/api-docs/assets/swagger-ui.css">
    <link rel="icon" type="image/png" href="/api-docs/assets/favicon-32x32.png" sizes="32x32">
    <link rel="icon" type="image/png" href="/api-docs/assets/favicon-16x16.png" sizes="16x16">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/api-docs/assets/swagger-ui-bundle.js"></script>
    <script src="/api-docs/assets/latchkey-init.js"></script>
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
