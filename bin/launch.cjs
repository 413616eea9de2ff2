// How quadlet starts, shared by bin/quadlet and the packaged executable (scripts/sea-entry.cjs):
// the bundle compiled with V8's code cache when the cache was made for this very bundle (V8
// itself also refuses a cache made by another V8 or under other flags, and then compiles as
// usual: slower, never wrong), then V8 tuned for a short run, then the bundle run.
"use strict";

/**
 * A generator runs each function about a thousand times and exits. V8's default interrupt
 * budget sends hot functions to the optimizing compiler within the first few hundred calls,
 * and a 1,000-unit run then spends a third of its CPU compiling code it barely uses. A budget
 * of 2 MiB of bytecode cuts that CPU by about 30% with the wall time no worse; 1 MiB and
 * 4 MiB measured the same. Set for V8 11 (Node 20) only, where it was measured: other V8s
 * tier up differently, and a flag V8 does not know prints an error on stderr.
 *
 * Set once the bundle is compiled: the budget is read when a function first collects type
 * feedback, which is later, so it still applies to every function of the bundle, while the
 * code cache is made and checked under V8's default flags, whatever this value. Even at ten
 * units, loading node:v8 costs no more than the optimizing it saves (measured).
 */
const V8_FLAGS = "--interrupt-budget=2097152";

function tuneV8() {
  if (process.versions.v8.startsWith("11.")) require("node:v8").setFlagsFromString(V8_FLAGS);
}

// The same wrapper as node's own module loader; V8 only takes a cache for identical source.
const WRAPPER_HEAD = "(function (exports, require, module, __filename, __dirname) { ";
const WRAPPER_TAIL = "\n})";
// scripts/build.mjs ends the bundle with this line and a hash of the bundle, and starts the
// cache file with the same hash on a line of its own.
const BUILD_ID_MARK = "\n//# quadlet-build=";

function buildIdOf(source) {
  const at = source.lastIndexOf(BUILD_ID_MARK);
  return at === -1 ? undefined : source.slice(at + BUILD_ID_MARK.length).trim();
}

/** The V8 cache in a cache file's bytes when it was made for the build `id`, else undefined. */
function cacheFor(data, id) {
  if (data === undefined || id === undefined) return undefined;
  const newline = data.indexOf(10);
  if (newline === -1 || data.toString("latin1", 0, newline) !== id) return undefined;
  return data.subarray(newline + 1);
}

/** The cache file's bytes: the build id, a newline, V8's cache. */
function cacheFileBytes(id, script) {
  return Buffer.concat([Buffer.from(`${id}\n`, "latin1"), script.createCachedData()]);
}

/** Compiles the bundle's source with the cache file's bytes (if any that fit); returns the Script and build id. */
function compile(source, filename, cacheData) {
  const { Script } = require("node:vm");
  const id = buildIdOf(source);
  const cachedData = cacheFor(cacheData, id);
  return { script: new Script(WRAPPER_HEAD + source + WRAPPER_TAIL, { filename, cachedData }), id };
}

/** Runs a compiled bundle as a CommonJS module named `filename`, with `requireFn` as its require. */
function run(script, filename, requireFn, dirname) {
  const module = { exports: {}, filename };
  script.runInThisContext().call(module.exports, module.exports, requireFn, module, filename, dirname);
}

module.exports = { tuneV8, buildIdOf, cacheFileBytes, compile, run };
