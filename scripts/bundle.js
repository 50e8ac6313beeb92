// The `latchkey` command and the server, each as one plain JavaScript file bundled by esbuild, so
// that neither compiles TypeScript when it starts or while it runs: the CLI starts in a fraction of
// a second, and the server spends about a fifth less CPU on each API request than the same code
// compiled on the fly by tsx (measured with `npm run bench`). Built by `npm install` (prepare) and
// `npm run build`, and again by whoever starts one (bin/latchkey.js, scripts/start.js) whenever a
// file it was built from is newer than the bundle (a checkout, an edit). Packages stay outside the
// bundle: Next.js, PGlite and the rest load from node_modules as they do for Next's own bundles.
const { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");

const BUNDLES = {
  cli: { entry: "lib/cli/main.ts", out: "dist/cli/latchkey.cjs", packages: "bundle" },
  server: { entry: "server.ts", out: "dist/server/server.cjs", packages: "external" },
};

const outOf = (name) => path.join(root, BUNDLES[name].out);
const manifestOf = (name) => path.join(path.dirname(outOf(name)), "inputs.json");

/** The bundle exists and no file it was built from changed since. */
function isFresh(name) {
  try {
    const { builtAt, inputs } = JSON.parse(readFileSync(manifestOf(name), "utf8"));
    statSync(outOf(name));
    return inputs.every((file) => statSync(path.join(root, file)).mtimeMs < builtAt);
  } catch {
    return false;
  }
}

function build(name) {
  const { entry, packages } = BUNDLES[name];
  const builtAt = Date.now();
  const result = require("esbuild").buildSync({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile: outOf(name),
    bundle: true,
    packages,
    platform: "node",
    format: "cjs",
    target: "node20",
    tsconfig: "tsconfig.json",
    metafile: true,
    write: false,
    logLevel: "warning",
  });
  // Written aside and renamed, so that a process starting meanwhile never loads half a file.
  mkdirSync(path.dirname(outOf(name)), { recursive: true });
  const atomically = (file, contents) => {
    const aside = `${file}.${process.pid}.tmp`;
    writeFileSync(aside, contents);
    renameSync(aside, file);
  };
  atomically(outOf(name), result.outputFiles[0].contents);
  atomically(manifestOf(name), JSON.stringify({ builtAt, inputs: Object.keys(result.metafile.inputs) }));
}

/**
 * The bundle's path, rebuilt first if a source is newer; undefined where it cannot be written
 * (a read-only install): the caller then runs the sources through tsx.
 */
function freshBundle(name) {
  if (!isFresh(name)) {
    try {
      build(name);
    } catch {
      return undefined;
    }
  }
  return outOf(name);
}

module.exports = { freshBundle, build, BUNDLES };

if (require.main === module) for (const name of Object.keys(BUNDLES)) build(name);
