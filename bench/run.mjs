#!/usr/bin/env node
// Whole-process benchmark of the generator, beside Node's own start-up and podman's quadlet:
//   node bench/run.mjs [--runs N] [--sizes 10,100,1000] [--quick] [--out FILE] [--bin PATH]...
//                      [--reference PATH|none] [--no-fetch] [--write-root DIR]
//
// For each corpus size it times `quadlet -dryrun` (output thrown away) and a write into a
// fresh output directory (`quadlet -no-kmsg-log OUTDIR`), for bin/quadlet and, once it has
// been packaged, dist/quadlet (a copy of it, as installed: see installedCopy); and the same
// two runs of podman's own quadlet (written in Go, see go-reference.mjs) when one is found.
// Ours are also timed checking every unit (`quadlet verify`) and explaining one of them
// (`quadlet explain NAME`), each of which must take no longer than a dry run of the same units.
// Every run is interleaved with the others and with `node -e 0`, run by run, so a machine
// that slows down slows all of them alike; each median (of 11 runs by default) is then given
// as a ratio to `node -e 0` and to podman's quadlet. Dry runs are also timed for
// bench/read-print.cjs, the plainest Node program that lists, reads, cuts and prints the
// same files.
//
// Every process timed, `node -e 0` included, runs without NODE_OPTIONS, NODE_EXTRA_CA_CERTS
// or any other NODE_* variable, as systemd starts a generator: NODE_EXTRA_CA_CERTS alone
// makes every Node start load a certificate file. Output directories are made on a tmpfs
// (/dev/shm) when there is one, as systemd gives generators directories under /run;
// `--write-root DIR` puts them elsewhere. Peak RSS comes from /usr/bin/time -f %M (or a
// preloaded probe for Node programs when that is missing). Prints a table and writes
// bench/results.json (or --out FILE).
import { spawnSync } from "node:child_process";
import { chmodSync, constants, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { cpus, release, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { findGoQuadlet, hasAccess, isExecutable } from "./go-reference.mjs";
import { checkTargets, GO, printTable, READ_PRINT } from "./report.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const corpusRoot = join(root, "bench", "corpus");

function parseOptions(argv) {
  const opts = { runs: 11, sizes: [10, 100, 1000], out: join(root, "bench", "results.json"), bins: [], fetch: true, cache: join(root, "bench", ".cache", "podman-trixie") };
  const value = (i) => (i < argv.length ? argv[i] : usage(`${argv[i - 1]} needs a value`));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--quick") {
      opts.runs = 7;
      opts.sizes = [10, 1000];
    } else if (arg === "--runs") opts.runs = Number(value(++i));
    else if (arg === "--sizes") opts.sizes = String(value(++i)).split(",").map(Number);
    else if (arg === "--out") opts.out = resolve(value(++i));
    else if (arg === "--bin") opts.bins.push(resolve(value(++i)));
    else if (arg === "--reference") opts.reference = value(++i) === "none" ? "none" : resolve(argv[i]);
    else if (arg === "--no-fetch") opts.fetch = false;
    else if (arg === "--write-root") opts.writeRoot = resolve(value(++i));
    else usage(`unknown option ${arg}`);
  }
  if (!Number.isInteger(opts.runs) || opts.runs < 1) usage("--runs wants a positive integer");
  if (!opts.sizes.length || opts.sizes.some((n) => !Number.isInteger(n) || n < 1)) usage("--sizes wants a list like 10,100,1000");
  return opts;
}

function usage(message) {
  console.error(`run.mjs: ${message}\nusage: node bench/run.mjs [--runs N] [--sizes 10,100,1000] [--quick] [--out FILE] [--bin PATH] [--reference PATH|none] [--no-fetch] [--write-root DIR]`);
  process.exit(2);
}

/** The corpus of `count` units (bench/corpus.mjs), made once and kept under bench/corpus/. */
function corpus(count) {
  const dir = join(corpusRoot, `units-${count}`);
  // The marker sits beside the corpus, not in it: the generator would list it. Its content
  // names the maker's version, so a corpus made by an older maker is made again.
  const marker = `${dir}.complete`;
  const maker = join(root, "bench", "corpus.mjs");
  const stamp = `${readFileSync(maker, "utf8").length}\n`;
  if (existsSync(marker) && readFileSync(marker, "utf8") === stamp) return dir;
  rmSync(dir, { recursive: true, force: true });
  const made = spawnSync(process.execPath, [maker, String(count), dir], { stdio: "inherit" });
  if (made.status !== 0) throw new Error(`${maker} failed`);
  writeFileSync(marker, stamp);
  return dir;
}

/** The environment systemd gives a generator, as far as Node is concerned: no NODE_* at all. */
function cleanEnv() {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith("NODE_")) env[name] = value;
  return env;
}

const CLEAN_ENV = cleanEnv();
const REMOVED_ENV = Object.keys(process.env).filter((name) => name.startsWith("NODE_")).sort();

let writeRoot;
let outCounter = 0;

/** A not-yet-existing output directory on the write root; the generator creates it. */
function freshOutDir() {
  return join(writeRoot, String(outCounter++));
}

/**
 * CPU time (user + system, in clock ticks of 10 ms) of this process's children that have
 * ended and been waited for, from /proc/self/stat (cutime and cstime); undefined where there
 * is no /proc. One run's share is coarse, but the mean over many runs is not, and CPU time,
 * unlike wall time, does not grow while a busy machine makes a process wait for a processor.
 */
function childCpuTicks() {
  try {
    const stat = readFileSync("/proc/self/stat", "latin1");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[13]) + Number(fields[14]);
  } catch {
    return undefined;
  }
}

/** Milliseconds in one clock tick of /proc/self/stat (USER_HZ, 100 on Linux). */
const MS_PER_TICK = 10;

/** Runs one command to completion; returns wall time and CPU time in ms, and the exit status. */
function timed(argv, env) {
  const ticks = childCpuTicks();
  const start = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { env, stdio: "ignore" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.error) throw r.error;
  const after = childCpuTicks();
  const cpuMs = ticks === undefined || after === undefined ? undefined : (after - ticks) * MS_PER_TICK;
  return { ms, cpuMs, status: r.status ?? -1 };
}

/** The argv and environment of one benchmark case, with a fresh output dir when writing. */
function caseCommand(target, mode, unitDir) {
  const env = { ...CLEAN_ENV, QUADLET_UNIT_DIRS: unitDir };
  if (mode === "dry-run") return { argv: [...target.argv, "-dryrun"], env, outDir: undefined };
  // `verify` checks every unit found (QUADLET_UNIT_DIRS), as a dry run reads them;
  // `explain` traces the first container, with every other unit read to resolve its references.
  if (mode === "verify") return { argv: [...target.argv, "verify"], env, outDir: undefined };
  if (mode === "explain") return { argv: [...target.argv, "explain", firstContainer(unitDir)], env, outDir: undefined };
  const outDir = freshOutDir();
  return { argv: [...target.argv, "-no-kmsg-log", outDir], env, outDir };
}

function firstContainer(dir) {
  const name = readdirSync(dir).filter((n) => n.endsWith(".container")).sort()[0];
  if (name === undefined) throw new Error(`${dir} has no .container file to explain`);
  return name;
}

/** The line saying what `verify` (its last: the count) or `explain` (its first) did. */
function summaryLine(argv, env, mode) {
  const r = spawnSync(argv[0], argv.slice(1), { env, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 1 << 30 });
  const lines = (r.stdout ?? "").trimEnd().split("\n");
  return mode === "verify" ? lines[lines.length - 1] : lines[0];
}

/** How many files of `dir` (and its link directories) are services or links. */
function countWritten(dir) {
  try {
    return readdirSync(dir, { recursive: true }).filter((n) => String(n).endsWith(".service")).length;
  } catch {
    return 0;
  }
}

/** How many units a dry run prints (`---name---` headers): each timed run did the whole job. */
function countPrinted(argv, env) {
  const r = spawnSync(argv[0], argv.slice(1), { env, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 1 << 30 });
  return (r.stdout ?? "").split("\n").filter((line) => line.startsWith("---") && line.endsWith("---")).length;
}

const HAVE_TIME = isExecutable("/usr/bin/time");
const RSS_PROBE = join(root, "bench", "maxrss-probe.cjs");

/** Peak RSS in KiB of one run, or undefined when it cannot be measured. */
function peakRssKiB(argv, env, isNode) {
  const file = join(corpusRoot, `rss-${process.pid}.txt`);
  rmSync(file, { force: true });
  if (HAVE_TIME) {
    spawnSync("/usr/bin/time", ["-f", "%M", "-o", file, ...argv], { env, stdio: "ignore" });
  } else if (isNode) {
    // Without /usr/bin/time: a preloaded probe writes the process's own getrusage maxrss.
    spawnSync(argv[0], argv.slice(1), { env: { ...env, NODE_OPTIONS: `--require ${RSS_PROBE}`, QUADLET_BENCH_RSS_FILE: file }, stdio: "ignore" });
  }
  if (!existsSync(file)) return undefined;
  const kib = Number(readFileSync(file, "utf8").trim().split("\n").pop());
  rmSync(file, { force: true });
  return Number.isFinite(kib) && kib > 0 ? kib : undefined;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function round(x, digits = 1) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** What to time: ours (bin/quadlet, dist/quadlet, or --bin), podman's quadlet, the read+print floor. */
function targetsOf(opts, go) {
  const ours = opts.bins.length
    ? opts.bins.map((bin) => ({ name: bin, argv: [bin], isNode: true, ours: true }))
    : [{ name: "bin/quadlet", argv: [join(root, "bin", "quadlet")], isNode: true, ours: true }];
  const sea = join(root, "dist", "quadlet");
  if (!opts.bins.length && isExecutable(sea)) {
    const name = carriesThisBuild(sea) ? "dist/quadlet" : "dist/quadlet (older build)";
    ours.push({ name, argv: [installedCopy(sea)], isNode: true, ours: true });
  }
  const others = [{ name: READ_PRINT, argv: [process.execPath, join(root, "bench", "read-print.cjs")], isNode: true, dryRunOnly: true }];
  if (go.path) others.unshift({ name: GO, argv: [go.path], isNode: false });
  return [...ours, ...others];
}

/**
 * Whether the packaged executable carries the bundle `npm run build` has just made (the
 * bundle's last line names its build): if not, it was packaged from older sources, and its
 * rows say so, since `npm run bench` rebuilds the bundle but not the executable.
 */
function carriesThisBuild(sea) {
  const bundle = readFileSync(join(root, "dist", "quadlet.cjs"), "latin1");
  const idLine = bundle.slice(bundle.lastIndexOf("\n//# quadlet-build=") + 1).trim();
  return readFileSync(sea).includes(idLine);
}

/**
 * The packaged executable as a host has it: a copy, made as scripts/install.mjs makes it.
 * The file `npm run package` has just written sits in the page cache in a way a copy does
 * not, and its runs show about 12 MiB more peak RSS than the same runs of the copy.
 */
function installedCopy(sea) {
  const dir = join(corpusRoot, "installed");
  mkdirSync(dir, { recursive: true });
  const copy = join(dir, "quadlet");
  const tmp = `${copy}.${process.pid}.tmp`;
  copyFileSync(sea, tmp);
  chmodSync(tmp, 0o755);
  renameSync(tmp, copy);
  return copy;
}

/** What is timed of each target: ours also check (`verify`) and explain a unit. */
function modesOf(target) {
  if (target.dryRunOnly) return ["dry-run"];
  return target.ours ? ["dry-run", "write", "verify", "explain"] : ["dry-run", "write"];
}

function measure(opts, go) {
  const targets = targetsOf(opts, go);
  const parent = opts.writeRoot ?? (hasAccess("/dev/shm", constants.W_OK) ? "/dev/shm" : join(corpusRoot, "out"));
  mkdirSync(parent, { recursive: true });
  writeRoot = mkdtempSync(join(parent, "quadlet-bench-"));
  const floorArgv = [process.execPath, "-e", "0"];
  const cases = [];
  for (const size of opts.sizes) {
    const dir = corpus(size);
    for (const target of targets) for (const mode of modesOf(target)) cases.push({ target, mode, size, dir, times: [], cpu: [], statuses: new Set() });
  }
  try {
    // Warm-up: one of everything (page cache, code caches); it also counts what each case does.
    timed(floorArgv, CLEAN_ENV);
    for (const c of cases) {
      const cmd = caseCommand(c.target, c.mode, c.dir);
      if (cmd.outDir) {
        timed(cmd.argv, cmd.env);
        c.written = countWritten(cmd.outDir);
      } else if (c.mode === "dry-run") {
        c.printed = countPrinted(cmd.argv, cmd.env);
      } else {
        c.outputNote = summaryLine(cmd.argv, cmd.env, c.mode);
      }
    }
    const floor = [];
    const floorCpu = [];
    for (let run = 0; run < opts.runs; run++) {
      for (const c of cases) {
        const f = timed(floorArgv, CLEAN_ENV);
        floor.push(f.ms);
        floorCpu.push(f.cpuMs);
        const cmd = caseCommand(c.target, c.mode, c.dir);
        // Dirty pages of earlier writes are flushed outside the timing.
        if (cmd.outDir) spawnSync("sync");
        const r = timed(cmd.argv, cmd.env);
        c.times.push(r.ms);
        c.cpu.push(r.cpuMs);
        c.statuses.add(r.status);
      }
      process.stderr.write(`\rrun ${run + 1}/${opts.runs}`);
    }
    process.stderr.write("\n");
    for (const c of cases) {
      const rss = [];
      for (let i = 0; i < 3; i++) {
        const cmd = caseCommand(c.target, c.mode, c.dir);
        const kib = peakRssKiB(cmd.argv, cmd.env, c.target.isNode);
        if (kib !== undefined) rss.push(kib);
      }
      c.rssKiB = rss.length ? median(rss) : undefined;
    }
    const floorCpuMs = meanCpu(floorCpu);
    return { writeRoot: parent, floorMs: median(floor), floorCpuMs, floorRssKiB: peakRssKiB(floorArgv, CLEAN_ENV, true), cases: summarize(cases, median(floor), floorCpuMs) };
  } finally {
    // Output directories are removed only at the end: deleting thousands of files between
    // runs keeps the file system busy during the next one.
    rmSync(writeRoot, { recursive: true, force: true });
  }
}

/** The mean of CPU times, or undefined when any could not be measured. */
function meanCpu(xs) {
  if (!xs.length || xs.some((x) => x === undefined)) return undefined;
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function summarize(cases, floorMs, floorCpuMs) {
  const goCase = (c) => cases.find((o) => o.target.name === GO && o.mode === c.mode && o.size === c.size);
  const ratio = (x, y) => (x === undefined || !y ? null : round(x / y, 2));
  return cases.map((c) => {
    const ms = median(c.times);
    const g = goCase(c);
    const go = g ? median(g.times) : undefined;
    const cpu = meanCpu(c.cpu);
    const goCpu = g ? meanCpu(g.cpu) : undefined;
    return {
      target: c.target.name,
      mode: c.mode,
      units: c.size,
      medianMs: round(ms),
      minMs: round(Math.min(...c.times)),
      maxMs: round(Math.max(...c.times)),
      vsNode: round(ms / floorMs, 2),
      vsGo: go === undefined ? null : round(ms / go, 2),
      cpuMs: cpu === undefined ? null : round(cpu),
      cpuVsNode: ratio(cpu, floorCpuMs),
      cpuVsGo: ratio(cpu, goCpu),
      peakRssMiB: c.rssKiB === undefined ? null : round(c.rssKiB / 1024, 1),
      exitStatus: [...c.statuses].sort().join(","),
      servicesWritten: c.written ?? null,
      unitsPrinted: c.printed ?? null,
      outputNote: c.outputNote ?? null,
    };
  });
}

function machine() {
  const cpu = cpus();
  return { cpus: cpu.length, cpuModel: cpu[0]?.model ?? "unknown", memoryGiB: round(totalmem() / 2 ** 30, 1), kernel: release(), node: process.version };
}

const opts = parseOptions(process.argv.slice(2));
if (!opts.bins.length && !existsSync(join(root, "dist", "quadlet.cjs"))) usage("dist/quadlet.cjs is missing: run `npm run build` first (or `npm run bench`)");
const reference = findGoQuadlet({ given: opts.reference, cache: opts.cache, fetch: opts.fetch });
const measured = measure(opts, reference);
const result = { date: new Date().toISOString(), machine: machine(), runs: opts.runs, removedEnv: REMOVED_ENV, reference, ...measured };
result.targets = checkTargets(result.cases);
printTable(result);
writeFileSync(opts.out, JSON.stringify(result, null, 2) + "\n");
console.log(`\nwritten to ${opts.out}`);
