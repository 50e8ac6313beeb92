#!/usr/bin/env node
// The `latchkey` command: plain JavaScript bundled from lib/cli (scripts/bundle.js), rebuilt first
// when a source is newer, so that starting it never compiles TypeScript. Where the bundle cannot be
// written (a read-only install), the sources run through tsx instead.
const bundled = require("../scripts/bundle.js").freshBundle("cli");

function load() {
  if (bundled) return require(bundled);
  require("tsx/cjs");
  return require("../lib/cli/main.ts");
}

load()
  .main(process.argv.slice(2))
  .then((code) => process.exit(code));
