// `npm start`: the server (server.ts) from its plain JavaScript bundle (scripts/bundle.js), rebuilt
// first when a source is newer; through tsx where the bundle cannot be written.
const bundled = require("./bundle.js").freshBundle("server");

if (bundled) require(bundled);
else {
  require("tsx/cjs");
  require("../server.ts");
}
