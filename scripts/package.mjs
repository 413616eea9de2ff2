// Packages quadlet as one executable, dist/quadlet, that needs neither Node nor node_modules
// on the host: a Node single-executable application (SEA). The esbuild bundle is turned into a
// SEA blob, with V8's code cache as an asset (see scripts/sea-entry.cjs), and injected
// into a copy of the node binary running this script. Also renders the man pages to dist/man/.
//
//   node scripts/package.mjs [--outdir DIR]     (default: dist)
//
// Everything is built in a private staging directory inside DIR and moved into place at the
// end, so a failed or concurrent run never leaves a half-written executable behind.
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { renderManPages } from "./man.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
// The sentinel Node looks for to know it carries a SEA blob (documented in Node's SEA guide).
const SEA_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  if (i === -1) return fallback;
  const value = process.argv[i + 1];
  if (value === undefined) fail(`${name} needs a value`);
  return value;
}

function fail(message) {
  process.stderr.write(`package: ${message}\n`);
  process.exit(1);
}

/** Runs a command; fails the whole script with its output if it does not succeed. */
function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: "utf8" });
  if (r.status !== 0) fail(`${cmd} ${args.join(" ")} failed:\n${r.stdout ?? ""}${r.stderr ?? r.error ?? ""}`);
  return r.stdout;
}

function buildExecutable(stage, version) {
  // The bundle and its code cache, made by this very node (a cache is only valid for the node
  // that made it, and the executable is a copy of it), become assets of the executable; its
  // main script is scripts/sea-entry.cjs, which compiles the bundle with that cache.
  const bundle = join(stage, "quadlet.cjs");
  run(process.execPath, [join(root, "scripts/build.mjs"), "--outfile", bundle]);
  const entry = join(stage, "sea-entry.cjs");
  bundleEntry(entry);

  const blob = join(stage, "quadlet.blob");
  const config = join(stage, "sea-config.json");
  const assets = {};
  for (const file of [bundle, ...chunksOf(stage).map((name) => join(stage, `quadlet-${name}.cjs`))]) {
    const name = file.slice(stage.length + 1);
    assets[name] = file;
    assets[`${name}.cache`] = `${file}.cache`;
  }
  writeFileSync(config, JSON.stringify({ main: entry, output: blob, disableExperimentalSEAWarning: true, assets }));
  run(process.execPath, ["--experimental-sea-config", config]);

  // The code cache is only valid for the exact node that produced it: inject into a copy of it.
  const exe = join(stage, "quadlet");
  copyFileSync(process.execPath, exe);
  chmodSync(exe, 0o755);
  // In a child process: postject's ELF library prints harmless warnings about note sections
  // that would bury the script's own output; they are shown only if injecting fails.
  const postject = join(root, "node_modules/postject/dist/cli.js");
  run(process.execPath, [postject, exe, "NODE_SEA_BLOB", blob, "--sentinel-fuse", SEA_FUSE]);

  checkCodeCache(exe, "code-cache");
  for (const name of chunksOf(stage)) checkCodeCache(exe, `code-cache:${name}`);
  const reported = run(exe, ["--version"]).trim();
  if (reported !== `quadlet ${version}`) fail(`the packaged executable reports "${reported}", expected "quadlet ${version}"`);
  return exe;
}

/** The names of the bundle's chunks that scripts/build.mjs wrote into `dir` (quadlet-NAME.cjs). */
function chunksOf(dir) {
  return readdirSync(dir)
    .map((file) => /^quadlet-(.+)\.cjs$/.exec(file)?.[1])
    .filter((name) => name !== undefined)
    .sort();
}

/** scripts/sea-entry.cjs and bin/quadlet, which it requires, as one script. */
function bundleEntry(outfile) {
  const result = esbuild.buildSync({
    entryPoints: [join(root, "scripts", "sea-entry.cjs")],
    bundle: true,
    outfile,
    platform: "node",
    format: "cjs",
    target: "node20",
    logLevel: "warning",
  });
  if (result.errors.length) fail(`bundling the entry failed: ${result.errors.map((e) => e.text).join("; ")}`);
}

/**
 * V8 takes a code cache only when it was made under the same flags; a cache it refuses costs
 * every boot the whole compile. Checked here, in an environment without NODE_OPTIONS.
 */
function checkCodeCache(exe, what) {
  const env = { ...process.env, QUADLET_PACKAGE_CHECK: what };
  delete env.NODE_OPTIONS;
  const r = spawnSync(exe, [], { env, encoding: "utf8" });
  const verdict = (r.stdout ?? "").trim();
  if (verdict !== "accepted") fail(`the packaged executable's code cache (${what}) is not used by V8 (${verdict || r.stderr || r.error})`);
}

function main() {
  const outdir = resolve(option("--outdir", join(root, "dist")));
  const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
  mkdirSync(outdir, { recursive: true });
  const stage = mkdtempSync(join(outdir, ".package-"));
  try {
    const exe = buildExecutable(stage, version);
    const pages = renderManPages({ outdir: join(stage, "man") });
    // Moves are atomic within one file system; the old man directory is replaced whole.
    renameSync(exe, join(outdir, "quadlet"));
    rmSync(join(outdir, "man"), { recursive: true, force: true });
    renameSync(join(stage, "man"), join(outdir, "man"));
    process.stdout.write(`${join(outdir, "quadlet")} (quadlet ${version})\n`);
    for (const page of pages) process.stdout.write(`${join(outdir, "man", page)}\n`);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

main();
