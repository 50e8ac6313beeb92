#!/usr/bin/env node
// The `latchkey` command: plain JavaScript bundled from lib/cli (scripts/build-cli.js), rebuilt here
// first when a source is newer, so that starting it never compiles TypeScript. Where the bundle cannot
// be written (a read-only install), the sources run through tsx instead.
const cli = require("../scripts/build-cli.js");

function load() {
  if (!cli.isFresh()) {
    try {
      cli.buildCli();
    } catch {
      require("tsx/cjs");
      return require("../lib/cli/main.ts");
    }
  }
  return require(cli.OUT);
}

load()
  .main(process.argv.slice(2))
  .then((code) => process.exit(code));
