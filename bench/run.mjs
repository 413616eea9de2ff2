#!/usr/bin/env node
// Whole-process benchmark of the generator:
//   node bench/run.mjs [--runs N] [--sizes 10,100,1000] [--quick] [--out FILE] [--bin PATH]...
//                      [--write-root DIR]
//
// For each corpus size it times `quadlet -dryrun` (stdout to /dev/null) and a write into a
// fresh output directory (`quadlet -no-kmsg-log OUTDIR`), for bin/quadlet and, when it
// exists, the packaged dist/quadlet. Every timed run is preceded by a run of `node -e 0`,
// so each median is also given as a ratio to Node's own start-up, measured alongside.
// Peak RSS comes from /usr/bin/time -f %M, or from a preloaded probe when that is absent.
// Dry runs are also timed for bench/reference.cjs, a program that only lists, reads, cuts
// into lines and prints the same files: the floor for any generator of this shape.
// Prints a table and writes bench/results.json (or --out FILE). `--bin PATH` (repeatable)
// measures the given executables instead of bin/quadlet and dist/quadlet.
//
// Output directories are made on a tmpfs (/dev/shm) when there is one, as systemd gives
// generators directories under /run; `--write-root DIR` puts them elsewhere (a disk, to see
// its cost). Dirty pages are flushed (sync) before each timed write, outside the timing.
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, release, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const corpusRoot = join(root, "bench", "corpus");
const TARGETS = { dryRun10: 1.25, dryRun1000: 1.7, write1000: 4, rssMiB1000: 80 };

function parseOptions(argv) {
  const opts = { runs: 11, sizes: [10, 100, 1000], out: join(root, "bench", "results.json"), bins: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--quick") {
      opts.runs = 7;
      opts.sizes = [10, 1000];
    } else if (arg === "--runs") opts.runs = Number(argv[++i]);
    else if (arg === "--sizes") opts.sizes = String(argv[++i]).split(",").map(Number);
    else if (arg === "--out") opts.out = resolve(argv[++i]);
    else if (arg === "--bin") opts.bins.push(resolve(argv[++i]));
    else if (arg === "--write-root") opts.writeRoot = resolve(argv[++i]);
    else usage(`unknown option ${arg}`);
  }
  if (!Number.isInteger(opts.runs) || opts.runs < 1) usage("--runs wants a positive integer");
  if (!opts.sizes.length || opts.sizes.some((n) => !Number.isInteger(n) || n < 1)) usage("--sizes wants a list like 10,100,1000");
  return opts;
}

function usage(message) {
  console.error(`run.mjs: ${message}\nusage: node bench/run.mjs [--runs N] [--sizes 10,100,1000] [--quick] [--out FILE] [--bin PATH] [--write-root DIR]`);
  process.exit(2);
}

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The corpus of `count` units, made once and kept under bench/corpus/. */
function corpus(count) {
  const dir = join(corpusRoot, `units-${count}`);
  // The marker sits beside the corpus, not in it: the generator would list it.
  const marker = `${dir}.complete`;
  if (existsSync(marker)) return dir;
  rmSync(dir, { recursive: true, force: true });
  const shared = resolve(root, "..", "shared", "bench", "make-corpus.mjs");
  const maker = existsSync(shared) ? shared : join(root, "bench", "corpus.mjs");
  const made = spawnSync(process.execPath, [maker, String(count), dir], { stdio: "inherit" });
  if (made.status !== 0) throw new Error(`${maker} failed`);
  writeFileSync(marker, "");
  return dir;
}

/** Where output directories go: a tmpfs when there is one (see the top of this file). */
function writeRootOf(opts) {
  const parent = opts.writeRoot ?? (isWritableDir("/dev/shm") ? "/dev/shm" : join(corpusRoot, "out"));
  mkdirSync(parent, { recursive: true });
  return mkdtempSync(join(parent, "quadlet-bench-"));
}

function isWritableDir(path) {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

let writeRoot;
let outCounter = 0;

/** A not-yet-existing output directory; the generator creates it. */
function freshOutDir() {
  return join(writeRoot, String(outCounter++));
}

/** Runs one command to completion; returns wall time in ms and the exit status. */
function timed(argv, env) {
  const start = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { env, stdio: "ignore" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.error) throw r.error;
  return { ms, status: r.status ?? -1 };
}

/** The argv and environment of one benchmark case, with a fresh output dir when writing. */
function caseCommand(target, mode, unitDir) {
  // The caller's environment, as for `node -e 0`: both start Node the same way.
  const env = { ...process.env, QUADLET_UNIT_DIRS: unitDir };
  if (mode === "dry-run") return { argv: [...target.argv, "-dryrun"], env, outDir: undefined };
  const outDir = freshOutDir();
  return { argv: [...target.argv, "-no-kmsg-log", outDir], env, outDir };
}

function countServices(dir) {
  try {
    return readdirSync(dir).filter((n) => n.endsWith(".service")).length;
  } catch {
    return 0;
  }
}

/**
 * How many units a dry run prints (`---name---` headers), so that the results show each
 * timed run did the whole job; for the reference program, how many files it printed.
 */
function countPrinted(argv, env) {
  const r = spawnSync(argv[0], argv.slice(1), { env, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 1 << 30 });
  return (r.stdout ?? "").split("\n").filter((line) => line.startsWith("---") && line.endsWith("---")).length;
}

const HAVE_TIME = isExecutable("/usr/bin/time");
const RSS_PROBE = join(root, "bench", "maxrss-probe.cjs");

/** Peak RSS in KiB of one run, or undefined when it cannot be measured. */
function peakRssKiB(argv, env) {
  const file = join(corpusRoot, `rss-${process.pid}.txt`);
  rmSync(file, { force: true });
  if (HAVE_TIME) {
    spawnSync("/usr/bin/time", ["-f", "%M", "-o", file, ...argv], { env, stdio: "ignore" });
  } else {
    // Without /usr/bin/time: a preloaded probe writes the process's own getrusage maxrss.
    const probeEnv = { ...env, NODE_OPTIONS: `--require ${RSS_PROBE}`, QUADLET_BENCH_RSS_FILE: file };
    spawnSync(argv[0], argv.slice(1), { env: probeEnv, stdio: "ignore" });
  }
  if (!existsSync(file)) return undefined;
  const kib = Number(readFileSync(file, "utf8").trim().split("\n").pop());
  rmSync(file, { force: true });
  return Number.isFinite(kib) && kib > 0 ? kib : undefined;
}

/** Environment variables that change what Node does at every start-up. */
const STARTUP_ENV = ["NODE_OPTIONS", "NODE_EXTRA_CA_CERTS"];

/** The environment without {@link STARTUP_ENV}, as a generator gets it from systemd. */
function bareEnv() {
  const env = { ...process.env };
  for (const name of STARTUP_ENV) delete env[name];
  return env;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The name of the reference program's rows (see bench/reference.cjs). */
const REFERENCE = "reference";

/**
 * The executables to measure: bin/quadlet, and dist/quadlet once it has been packaged;
 * then the reference program, which only has a dry run.
 */
function targetsOf(opts) {
  const reference = { name: REFERENCE, argv: [process.execPath, join(root, "bench", "reference.cjs")], dryRunOnly: true };
  if (opts.bins.length) return [...opts.bins.map((bin) => ({ name: bin, argv: [bin] })), reference];
  const targets = [{ name: "bin/quadlet", argv: [join(root, "bin", "quadlet")] }];
  const sea = join(root, "dist", "quadlet");
  if (isExecutable(sea)) targets.push({ name: "dist/quadlet", argv: [sea] });
  return [...targets, reference];
}

function measure(opts) {
  const targets = targetsOf(opts);
  writeRoot = writeRootOf(opts);
  const floorArgv = [process.execPath, "-e", "0"];
  const cases = [];
  for (const size of opts.sizes) {
    const dir = corpus(size);
    for (const target of targets) for (const mode of target.dryRunOnly ? ["dry-run"] : ["dry-run", "write"]) cases.push({ target, mode, size, dir, times: [], statuses: new Set() });
  }

  // Warm-up: one of everything, so caches (page cache, code caches) are in their steady state.
  timed(floorArgv, process.env);
  for (const c of cases) {
    // The same run says how much each case does: services written, or units printed.
    const cmd = caseCommand(c.target, c.mode, c.dir);
    if (cmd.outDir) {
      timed(cmd.argv, cmd.env);
      c.services = countServices(cmd.outDir);
    } else {
      c.printed = countPrinted(cmd.argv, cmd.env);
    }
  }

  const floor = [];
  const bareFloor = [];
  const startupEnv = STARTUP_ENV.filter((name) => process.env[name] !== undefined);
  for (let run = 0; run < opts.runs; run++) {
    if (startupEnv.length) bareFloor.push(timed(floorArgv, bareEnv()).ms);
    for (const c of cases) {
      floor.push(timed(floorArgv, process.env).ms);
      const cmd = caseCommand(c.target, c.mode, c.dir);
      if (cmd.outDir) spawnSync("sync");
      const r = timed(cmd.argv, cmd.env);
      c.times.push(r.ms);
      c.statuses.add(r.status);
      // Output directories are removed only at the end: deleting thousands of files
      // between runs keeps the file system busy during the next one.
    }
    process.stderr.write(`\rrun ${run + 1}/${opts.runs}`);
  }
  process.stderr.write("\n");

  for (const c of cases) {
    const rss = [];
    for (let i = 0; i < 3; i++) {
      const cmd = caseCommand(c.target, c.mode, c.dir);
      const kib = peakRssKiB(cmd.argv, cmd.env);
      if (kib !== undefined) rss.push(kib);
    }
    c.rssKiB = rss.length ? median(rss) : undefined;
  }
  rmSync(writeRoot, { recursive: true, force: true });
  const floorMs = median(floor);
  return {
    writeRoot: dirname(writeRoot),
    floorMs,
    startupEnv,
    bareFloorMs: bareFloor.length ? round(median(bareFloor)) : null,
    floorRssKiB: peakRssKiB(floorArgv, process.env),
    cases: cases.map((c) => ({
      target: c.target.name,
      mode: c.mode,
      units: c.size,
      medianMs: round(median(c.times)),
      minMs: round(Math.min(...c.times)),
      maxMs: round(Math.max(...c.times)),
      ratio: round(median(c.times) / floorMs, 2),
      peakRssMiB: c.rssKiB === undefined ? null : round(c.rssKiB / 1024, 1),
      exitStatus: [...c.statuses].sort().join(","),
      servicesWritten: c.services ?? null,
      unitsPrinted: c.printed ?? null,
    })),
  };
}

function round(x, digits = 1) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Target checks for every measured binary that ran the sizes the targets are about. */
function checkTargets(cases) {
  const checks = [];
  const find = (target, mode, units) => cases.find((c) => c.target === target && c.mode === mode && c.units === units);
  for (const target of new Set(cases.map((c) => c.target))) {
    if (target === REFERENCE) continue;
    const dry10 = find(target, "dry-run", 10);
    const dry1000 = find(target, "dry-run", 1000);
    const write1000 = find(target, "write", 1000);
    if (dry10) checks.push({ target, what: "dry run, 10 units", value: dry10.ratio, limit: TARGETS.dryRun10, unit: "×" });
    if (dry1000) checks.push({ target, what: "dry run, 1,000 units", value: dry1000.ratio, limit: TARGETS.dryRun1000, unit: "×" });
    if (write1000) checks.push({ target, what: "write, 1,000 units", value: write1000.ratio, limit: TARGETS.write1000, unit: "×" });
    const rss = [dry1000, write1000].map((c) => c?.peakRssMiB).filter((x) => typeof x === "number");
    if (rss.length) checks.push({ target, what: "peak RSS, 1,000 units", value: Math.max(...rss), limit: TARGETS.rssMiB1000, unit: " MiB" });
  }
  return checks.map((c) => ({ ...c, ok: c.value <= c.limit }));
}

function machine() {
  const cpu = cpus();
  return {
    cpus: cpu.length,
    cpuModel: cpu[0]?.model ?? "unknown",
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    kernel: release(),
    node: process.version,
  };
}

function printTable(result) {
  const m = result.machine;
  console.log(`${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Linux ${m.kernel}, Node ${m.node}; median of ${result.runs} runs; writes under ${result.writeRoot}`);
  console.log(`node -e 0: ${result.floorMs.toFixed(1)} ms` + (result.floorRssKiB ? `, ${(result.floorRssKiB / 1024).toFixed(1)} MiB` : ""));
  if (result.bareFloorMs !== null) {
    console.log(`  (${result.startupEnv.join(", ")} set, and inherited by every run; node -e 0 without: ${result.bareFloorMs.toFixed(1)} ms)`);
  }
  const rows = [["target", "mode", "units", "median ms", "× node", "min–max ms", "peak RSS MiB", "exit"]];
  for (const c of result.cases) {
    rows.push([c.target, c.mode, String(c.units), c.medianMs.toFixed(1), c.ratio.toFixed(2), `${c.minMs.toFixed(0)}–${c.maxMs.toFixed(0)}`, c.peakRssMiB === null ? "n/a" : c.peakRssMiB.toFixed(1), c.exitStatus]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const [i, r] of rows.entries()) {
    console.log(r.map((cell, j) => (j >= 2 && j <= 6 ? cell.padStart(widths[j]) : cell.padEnd(widths[j]))).join("  "));
    if (i === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
  }
  if (result.targets.length) {
    console.log("\ntargets:");
    for (const t of result.targets) console.log(`  ${t.ok ? "ok  " : "MISS"} ${t.target}: ${t.what}: ${t.value}${t.unit} (≤ ${t.limit}${t.unit})`);
  }
}

const opts = parseOptions(process.argv.slice(2));
if (!opts.bins.length && !existsSync(join(root, "dist", "quadlet.cjs"))) usage("dist/quadlet.cjs is missing: run `npm run build` first (or `npm run bench`)");
const measured = measure(opts);
const result = { date: new Date().toISOString(), machine: machine(), runs: opts.runs, ...measured };
result.targets = checkTargets(result.cases);
printTable(result);
writeFileSync(opts.out, JSON.stringify(result, null, 2) + "\n");
console.log(`\nwritten to ${opts.out}`);
