#!/usr/bin/env node
// Fuzzes the generator in-process: mutates the fixtures and the bench corpus (byte flips,
// truncation, duplicated lines, 1 MB lines, deep continuation chains, invalid UTF-8, odd
// names, drop-ins), then discovers them on an in-memory volume, compiles, checks and prints
// every unit and its [Install] links, as the CLI does.
//
//   node scripts/fuzz.mjs [--iterations N] [--seed S] [--case I] [--max-ms MS] [--keep DIR]
//
// A case fails on any exception that escapes (or is reported as an internal error), on a
// printed unit that does not parse back to what it holds, on a link outside the output
// directory, or when it takes longer than --max-ms (default 1000). Every case is made
// from (seed, case number) alone, so `--seed S --case I` repeats exactly one case.
import { build } from "esbuild";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

// ---- arguments --------------------------------------------------------------------------

function parseArgs(argv) {
  const opts = { iterations: 10_000, seed: undefined, case: undefined, maxMs: 1000, keep: undefined, corpus: 200 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case "--iterations": opts.iterations = Number(value()); break;
      case "--seed": opts.seed = Number(value()); break;
      case "--case": opts.case = Number(value()); break;
      case "--max-ms": opts.maxMs = Number(value()); break;
      case "--keep": opts.keep = value(); break;
      case "--corpus": opts.corpus = Number(value()); break;
      case "--help":
        console.log("usage: fuzz.mjs [--iterations N] [--seed S] [--case I] [--max-ms MS] [--keep DIR] [--corpus UNITS]");
        process.exit(0);
      default:
        console.error(`fuzz: unknown argument ${argv[i]}`);
        process.exit(2);
    }
  }
  for (const key of ["iterations", "maxMs", "corpus"]) {
    if (!Number.isInteger(opts[key]) || opts[key] < 0) {
      console.error(`fuzz: --${key} needs a whole number`);
      process.exit(2);
    }
  }
  opts.seed ??= Math.floor(Math.random() * 2 ** 31);
  return opts;
}

// ---- the code under test, bundled from src/ -----------------------------------------------

async function loadGenerator() {
  const entry = `
    export { discoverUnits } from "./src/parser/discover.ts";
    export { parseUnitText, ParseError } from "./src/parser/parse.ts";
    export { compileAll } from "./src/generator/index.ts";
    export { renderUnit } from "./src/emit/render.ts";
    export { checkRenderable, installLinks } from "./src/emit/output.ts";
    export { fileSystemOf } from "./src/fsys.ts";
    export { CollectingLogger } from "./src/log.ts";
  `;
  const dir = mkdtempSync(join(tmpdir(), "quadlet-fuzz-"));
  const outfile = join(dir, "generator.mjs");
  await build({
    stdin: { contents: entry, resolveDir: ROOT, loader: "ts" },
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "warning",
    // The sources take node's own modules with require() here and there (see src/fsys.ts);
    // an ES module has no require of its own, so the bundle is given one.
    banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
  });
  const mod = await import(pathToFileURL(outfile).href);
  rmSync(dir, { recursive: true, force: true });
  return mod;
}

// ---- seeds ------------------------------------------------------------------------------

const UNIT_FILE = /\.(container|volume|network|kube|image|build|pod|artifact|conf)$/;

/** Every unit file below `dir` (drop-ins included), as {name, bytes}. */
function collect(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) collect(full, out);
    else if (UNIT_FILE.test(name)) out.push({ name: name.endsWith(".conf") ? "override.container" : name, bytes: readFileSync(full) });
  }
  return out;
}

function loadSeeds(corpusUnits) {
  const seeds = collect(join(ROOT, "fixtures"));
  const makeCorpus = join(ROOT, "../shared/bench/make-corpus.mjs");
  if (corpusUnits > 0 && existsSync(makeCorpus)) {
    const dir = mkdtempSync(join(tmpdir(), "quadlet-fuzz-corpus-"));
    const r = spawnSync(process.execPath, [makeCorpus, String(corpusUnits), dir], { encoding: "utf8" });
    if (r.status === 0) collect(dir, seeds);
    rmSync(dir, { recursive: true, force: true });
  }
  if (seeds.length === 0) throw new Error("no seed files found under fixtures/");
  return seeds;
}

// ---- randomness -------------------------------------------------------------------------

/** mulberry32: small, fast, and the same everywhere. */
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    chance: (p) => next() < p,
  };
}

/** A case's own generator: depends on the seed and the case number only. */
function caseRng(seed, index) {
  return rng((Math.imul(seed ^ 0x9e3779b9, 2654435761) + Math.imul(index + 1, 40503)) >>> 0);
}

// ---- mutations --------------------------------------------------------------------------

const enc = new TextEncoder();
const TOKENS = [
  "[", "]", "=", "\\", "\\\\", '"', "'", ";", " ; ", "%", "%n", "%i", "$", "#", "\r", "\n", "\t", " ",
  "\\n", "\\x0a", "\\012", "\\u2028", "\\x00", "@", "/", "../", "..", ".service", "é", "\u2028", "\ufeff",
  "[Service]\n", "[Install]\n", "[Unit]\n", "\nExecStartPre=/bin/evil\n", "Alias=", "WantedBy=", "ServiceName=",
  "Exec=", "PodmanArgs=", "Environment=", "Volume=", "Network=", "Pod=", "Image=", "DefaultInstance=",
];
const KEY_LINES = [
  "ServiceName=my app", "ServiceName=ok-name", "ServiceName=caf\u00e9", "ServiceName=", "Alias=../../etc/x.service",
  "Alias=/etc/x.service", "Alias=in/a/dir/x.service", "Alias=x.service", "WantedBy=default.target",
  "WantedBy=caf\u00e9.target", "RequiredBy=a b.target", "UpheldBy=x.notatype", "DefaultInstance=a b",
  "Exec=a ; b \\; \"c d\" 'e' \\x0a \\012 %n", "Exec=\"unterminated", "Exec=bad\\qescape", "Environment=A=b\\nc",
  "Description=line \\", "Pod=x.pod", "Network=x.network", "Volume=x.volume:/data", "Image=x.image", "Image=x.build",
  "Mount=type=bind,source=./a b,destination=/x", "Label=a=b\\", "Annotation=\"k=v\" x", "Type=oneshot", "KillMode=none",
];

function insertAt(bytes, at, insert) {
  const out = new Uint8Array(bytes.length + insert.length);
  out.set(bytes.subarray(0, at), 0);
  out.set(insert, at);
  out.set(bytes.subarray(at), at + insert.length);
  return out;
}

function lineBounds(bytes, r) {
  const starts = [0];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) starts.push(i + 1);
  const k = r.int(starts.length);
  const start = starts[k];
  let end = bytes.indexOf(0x0a, start);
  end = end === -1 ? bytes.length : end + 1;
  return [start, end];
}

const MUTATIONS = {
  flipByte(b, r) {
    if (!b.length) return b;
    const c = Uint8Array.from(b);
    c[r.int(c.length)] ^= 1 << r.int(8);
    return c;
  },
  setByte(b, r) {
    if (!b.length) return b;
    const c = Uint8Array.from(b);
    c[r.int(c.length)] = r.pick([0x00, 0x0a, 0x0d, 0x5c, 0x22, 0x27, 0x3d, 0x5b, 0x5d, 0x80, 0xc3, 0xff, r.int(256)]);
    return c;
  },
  truncate(b, r) {
    return b.subarray(0, r.int(b.length + 1));
  },
  duplicateLines(b, r) {
    const [s, e] = lineBounds(b, r);
    const line = b.subarray(s, e);
    const copies = r.pick([1, 2, 10, 1000]);
    const rep = new Uint8Array(line.length * copies);
    for (let i = 0; i < copies; i++) rep.set(line, i * line.length);
    return insertAt(b, e, rep);
  },
  deleteLine(b, r) {
    const [s, e] = lineBounds(b, r);
    const out = new Uint8Array(b.length - (e - s));
    out.set(b.subarray(0, s), 0);
    out.set(b.subarray(e), s);
    return out;
  },
  hugeLine(b, r) {
    const size = r.pick([1 << 16, 1 << 20]);
    const filler = r.pick(["x", "a b ", '"q" ', "\\x41", "%n", "é", '"a b c d e f g h" ']);
    const line = `${r.pick(["Exec", "Description", "PodmanArgs", "Label", "Environment", "Image"])}=${filler.repeat(Math.ceil(size / filler.length))}\n`;
    const [, e] = lineBounds(b, r);
    return insertAt(b, e, enc.encode(line));
  },
  continuationChain(b, r) {
    const depth = r.pick([10, 1000, 50_000]);
    const piece = r.pick(["a \\\n", "\\\n", "# c\n x\\\n", "\\\\\n", "\"q \\\n"]);
    const text = `${r.pick(["Exec", "Description", "Label"])}=${piece.repeat(depth)}end\n`;
    const [, e] = lineBounds(b, r);
    return insertAt(b, e, enc.encode(text));
  },
  invalidUtf8(b, r) {
    return insertAt(b, r.int(b.length + 1), Uint8Array.from(r.pick([[0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc0, 0xaf]])));
  },
  token(b, r) {
    return insertAt(b, r.int(b.length + 1), enc.encode(r.pick(TOKENS)));
  },
  keyLine(b, r) {
    const [, e] = lineBounds(b, r);
    return insertAt(b, e, enc.encode(`${r.pick(KEY_LINES)}\n`));
  },
};
const MUTATION_NAMES = Object.keys(MUTATIONS);
const MAX_FILE_BYTES = 3 << 20;

function mutateName(name, r) {
  if (!r.chance(0.1)) return name;
  const dot = name.lastIndexOf(".");
  const base = name.slice(0, dot);
  const ext = name.slice(dot);
  return r.pick([`${base} x${ext}`, `caf\u00e9${ext}`, `${base}@${ext}`, `${base}@i${ext}`, `@${ext}`, ext, `${base}%${ext}`, `${base}\\${ext}`, `${"n".repeat(260)}${ext}`, `${base}.d${ext}`]);
}

/** One case: a few mutated files (and maybe a drop-in) in a unit directory. */
function makeCase(seeds, seed, index) {
  const r = caseRng(seed, index);
  const files = new Map();
  const count = 1 + r.int(4);
  for (let i = 0; i < count; i++) {
    const src = r.pick(seeds);
    let bytes = src.bytes;
    const rounds = 1 + r.int(3);
    const applied = [];
    for (let k = 0; k < rounds; k++) {
      const m = r.pick(MUTATION_NAMES);
      const mutated = MUTATIONS[m](bytes, r);
      // Files stay a few MB at most, so that one case stays a unit test, not a load test.
      if (mutated.length > MAX_FILE_BYTES) continue;
      applied.push(m);
      bytes = mutated;
    }
    let name = mutateName(src.name, r);
    if (files.has(name)) name = `${i}${name}`;
    files.set(name, { bytes, applied });
  }
  // Sometimes a drop-in for the first unit.
  if (r.chance(0.2)) {
    const [first] = files.keys();
    const dropin = MUTATIONS[r.pick(MUTATION_NAMES)](enc.encode(`[${r.pick(["Unit", "Service", "Container", "Install"])}]\n${r.pick(KEY_LINES)}\n`), r);
    files.set(`${first}.d/${r.pick(["10-a.conf", "b.conf"])}`, { bytes: dropin, applied: ["dropin"] });
  }
  return files;
}

// ---- running one case -------------------------------------------------------------------

const UNIT_DIR = "/units";

/** What a unit means: its sections and their key/value lines, comments aside. */
function meaning(unit) {
  return JSON.stringify(unit.groups.map((g) => [g.name, g.lines.filter((l) => !l.isComment).map((l) => [l.key, l.value])]));
}

/** Runs one case as the CLI would (dry-run); returns a failure message or undefined. */
function runCase(gen, memfs, files) {
  const json = {};
  for (const [name, { bytes }] of files) json[`${UNIT_DIR}/${name}`] = Buffer.from(bytes);
  const vol = memfs.Volume.fromJSON(json);
  const fs = gen.fileSystemOf(memfs.createFsFromVolume(vol));
  const log = new gen.CollectingLogger();
  const found = gen.discoverUnits({ userMode: false, env: { QUADLET_UNIT_DIRS: UNIT_DIR }, uid: 0 }, fs, log);
  const results = gen.compileAll(found.units, { userMode: false, podman: "/usr/bin/podman" });
  for (const res of results) {
    if (res.ok) continue;
    const internal = res.errors.find((e) => e.includes("internal error"));
    if (internal) return internal;
  }
  for (const res of results) {
    if (!res.ok) continue;
    const service = res.service.unit;
    try {
      gen.checkRenderable(service);
    } catch (err) {
      if (!(err instanceof Error) || !/would not say what the file says/.test(err.message)) throw err;
      continue;
    }
    const text = gen.renderUnit(service);
    const again = gen.parseUnitText(text, service.filename, service.path);
    if (meaning(again) !== meaning(service)) return `${service.filename} prints as something else:\n${text.slice(0, 2000)}`;
    let links;
    try {
      links = gen.installLinks(service);
    } catch (err) {
      if (!(err instanceof Error) || err.constructor !== Error) throw err;
      continue;
    }
    for (const { link, target } of links) {
      if (link.startsWith("/") || link.split("/").includes("..") || link.split("/").includes("")) return `${service.filename}: link ${link} leaves the output directory`;
      const depth = link.split("/").length - 1;
      if (target !== "../".repeat(depth) + service.filename) return `${service.filename}: link ${link} points at ${target}`;
    }
  }
  return undefined;
}

function describe(files) {
  return [...files].map(([name, { bytes, applied }]) => `  ${JSON.stringify(name)} (${bytes.length} bytes; ${applied.join(", ")})`).join("\n");
}

function keepCase(dir, seed, index, files) {
  const caseDir = join(dir, `seed-${seed}-case-${index}`);
  for (const [name, { bytes }] of files) {
    const path = join(caseDir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
  }
  return caseDir;
}

// ---- main -------------------------------------------------------------------------------

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const [gen, memfs] = await Promise.all([loadGenerator(), import("memfs")]);
  const seeds = loadSeeds(opts.corpus);
  const first = opts.case ?? 0;
  const last = opts.case !== undefined ? opts.case + 1 : opts.iterations;
  console.log(`fuzz: seed ${opts.seed}, cases ${first}..${last - 1}, ${seeds.length} seed files`);

  const started = Date.now();
  let slowest = { ms: 0, index: -1 };
  let failures = 0;
  for (let i = first; i < last; i++) {
    const files = makeCase(seeds, opts.seed, i);
    const t0 = performance.now();
    let failure;
    try {
      failure = runCase(gen, memfs, files);
    } catch (err) {
      failure = `uncaught ${err?.stack ?? String(err)}`;
    }
    const ms = performance.now() - t0;
    if (ms > slowest.ms) slowest = { ms, index: i };
    if (!failure && ms > opts.maxMs) failure = `took ${Math.round(ms)} ms (limit ${opts.maxMs} ms)`;
    if (failure) {
      failures++;
      console.error(`\nfuzz: case ${i} failed: ${failure}\n${describe(files)}`);
      if (opts.keep) console.error(`  files kept in ${keepCase(opts.keep, opts.seed, i, files)}`);
      console.error(`  reproduce: npm run fuzz -- --seed ${opts.seed} --case ${i}${opts.keep ? "" : " --keep /tmp/fuzz-cases"}`);
      if (failures >= 10) break;
    }
    if ((i - first + 1) % 10_000 === 0) console.log(`fuzz: ${i - first + 1} cases, ${Math.round((Date.now() - started) / 1000)} s`);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`fuzz: ${last - first} cases in ${seconds} s, slowest ${Math.round(slowest.ms)} ms (case ${slowest.index}); ${failures} failed; seed ${opts.seed}`);
  process.exitCode = failures ? 1 : 0;
}

await main();
