#!/usr/bin/env node
// The `latchkey` command: TypeScript sources run through tsx (a dependency), so a checkout needs no build step.
require("tsx/cjs");
require("../lib/cli/main.ts")
  .main(process.argv.slice(2))
  .then((code) => process.exit(code));
