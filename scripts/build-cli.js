// The `latchkey` command as one plain JavaScript file, bundled from lib/cli by esbuild, so that it
// starts without compiling TypeScript. Built by `npm install` (prepare) and `npm run build`, and by
// bin/latchkey.js itself whenever a source file is newer than the bundle (a checkout, an edit).
const { mkdirSync, readFileSync, statSync, writeFileSync } = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const OUT = path.join(root, "dist/cli/latchkey.cjs");
const MANIFEST = path.join(root, "dist/cli/inputs.json");

/** The bundle exists and no file it was built from changed since. */
function isFresh() {
  try {
    const { builtAt, inputs } = JSON.parse(readFileSync(MANIFEST, "utf8"));
    statSync(OUT);
    return inputs.every((file) => statSync(path.join(root, file)).mtimeMs < builtAt);
  } catch {
    return false;
  }
}

function buildCli() {
  const builtAt = Date.now();
  const result = require("esbuild").buildSync({
    absWorkingDir: root,
    entryPoints: ["lib/cli/main.ts"],
    outfile: OUT,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    tsconfig: "tsconfig.json",
    metafile: true,
    logLevel: "warning",
  });
  mkdirSync(path.dirname(MANIFEST), { recursive: true });
  writeFileSync(MANIFEST, JSON.stringify({ builtAt, inputs: Object.keys(result.metafile.inputs) }));
}

module.exports = { OUT, isFresh, buildCli };

if (require.main === module) buildCli();
