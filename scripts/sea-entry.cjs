// The main script of the packaged executable (scripts/package.mjs bundles it with the
// launcher functions of bin/quadlet). The generator's bundle, its chunks (the code only
// subcommands run) and their V8 code caches travel as assets of the executable; this script
// compiles the bundle with its cache and runs the bundle, exactly as bin/quadlet
// does from files, and compiles a chunk with its cache when the bundle asks for it. A cache
// V8 refuses (the executable started with other V8 flags, e.g. from NODE_OPTIONS) only means
// compiling as usual.
"use strict";
const launch = require("../bin/quadlet");
const sea = require("node:sea");

const BUNDLE_NAME = "quadlet.cjs";

/** The asset `name` compiled with the asset `name.cache`. */
function compileAsset(name) {
  return launch.compile(sea.getAsset(name, "utf8"), name, Buffer.from(sea.getAsset(`${name}.cache`))).script;
}

const chunkName = (name) => `quadlet-${name}.cjs`;
const script = compileAsset(BUNDLE_NAME);
// For scripts/package.mjs, which checks that the caches it packed are the ones V8 takes
// (QUADLET_PACKAGE_CHECK=code-cache for the bundle's, code-cache:NAME for a chunk's).
const check = process.env.QUADLET_PACKAGE_CHECK;
if (check === "code-cache") {
  process.stdout.write(script.cachedDataRejected ? "rejected\n" : "accepted\n");
} else if (check?.startsWith("code-cache:")) {
  process.stdout.write(compileAsset(chunkName(check.slice("code-cache:".length))).cachedDataRejected ? "rejected\n" : "accepted\n");
} else {
  const compileChunk = (name) => compileAsset(chunkName(name)).runInThisContext();
  launch.run(script, process.execPath, launch.bundleRequire(compileChunk), require("node:path").dirname(process.execPath));
}
