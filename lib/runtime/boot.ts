/**
 * First import of every entry point that runs outside Next's bundler
 * (server.ts, CLIs, scripts). `server-only` throws when loaded by plain Node;
 * here it is the same empty module Next resolves it to on the server.
 */
import Module from "node:module";

const resolved = require.resolve("server-only");
const mod = new Module(resolved);
mod.loaded = true;
mod.exports = {};
require.cache[resolved] = mod;

if (process.argv.includes("--production")) {
  (process.env as Record<string, string>).NODE_ENV = "production";
}
