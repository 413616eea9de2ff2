// The main script of the packaged executable (scripts/package.mjs bundles it with the
// launcher functions of bin/quadlet). The generator's bundle and its V8 code cache travel as
// assets of the executable; this script compiles the bundle with that cache, tunes V8 and
// runs the bundle, exactly as bin/quadlet does from files. A cache V8 refuses (the executable started with
// other V8 flags, e.g. from NODE_OPTIONS) only means compiling as usual.
"use strict";
const launch = require("../bin/quadlet");
const sea = require("node:sea");

const BUNDLE_NAME = "quadlet.cjs";
const source = sea.getAsset(BUNDLE_NAME, "utf8");
const cache = Buffer.from(sea.getAsset(`${BUNDLE_NAME}.cache`));
const { script } = launch.compile(source, BUNDLE_NAME, cache);
// For scripts/package.mjs, which checks that the cache it packed is the one V8 takes.
if (process.env.QUADLET_PACKAGE_CHECK === "code-cache") {
  process.stdout.write(script.cachedDataRejected ? "rejected\n" : "accepted\n");
} else {
  launch.tuneV8();
  launch.run(script, process.execPath, require, require("node:path").dirname(process.execPath));
}
