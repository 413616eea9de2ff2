// Bundles src/main.ts into CommonJS: dist/quadlet.cjs, the generator, which a boot runs,
// and beside it dist/quadlet-NAME.cjs, the chunks only subcommands and --help run (see
// CHUNKS); then makes V8's code cache for each, FILE.cache, which bin/quadlet uses so a run
// does not compile them again. CommonJS because Node's single-executable applications only
// run CommonJS.
//
//   node scripts/build.mjs [--outfile PATH] [--no-code-cache]
//
// Only the syntax is minified. Names and line breaks are kept: with the code cache, the
// bundle's size made no measurable difference to start-up, while an uncaught error prints
// its source line, which in a fully minified bundle is tens of kilobytes long, and CPU
// profiles (`node --cpu-prof bin/quadlet …`) stay readable.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

// `--outfile PATH` builds elsewhere, e.g. to compare two builds side by side.
const outArg = process.argv.indexOf("--outfile");
const outfile = outArg !== -1 ? process.argv[outArg + 1] : join(root, "dist", "quadlet.cjs");
const codeCache = !process.argv.includes("--no-code-cache");

const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

/**
 * Code the generator never runs is bundled apart from it, in chunks that are compiled only
 * when a subcommand (or --help) needs them: every byte of the boot bundle is read, hashed and
 * copied at each start, whether it runs or not (measured: 430 KB more cost every boot about
 * 3 ms of CPU time). A chunk is its own file beside the bundle (an asset of the packaged
 * executable), with its own code cache; it takes every module the boot bundle already has
 * from the boot bundle itself, through a registry the build generates, so no module exists
 * twice and classes and module state are shared. `convert`, with its YAML reader, is a chunk
 * of its own, so that the other subcommands do not carry it, and so is --help with commander.
 *
 * Each entry is a module the boot bundle loads with require() only when it needs it
 * (src/main.ts, src/commands/index.ts, src/generator/index.ts).
 */
const CHUNKS = {
  commands: ["commands/verify", "commands/explain", "commands/graph", "commands/list", "commands/install", "commands/print", "commands/rm"],
  convert: ["commands/convert"],
  // commander, half the size of all the subcommands above, only serves --help.
  help: ["help"],
  // Writing units for an older podman than the newest: the generator needs it at boot only
  // where that podman is installed (found in dpkg's records) or asked for. Compiled without a
  // cache, as the boot bundle's cache never held it, it cost such a boot 22% more CPU at
  // 10 units; held in the boot bundle's cache, it made every other boot's cache a third bigger.
  retarget: ["target/retarget"],
};

/** src/NAME.ts of every chunk entry, to the chunk that holds it. */
const chunkOfEntry = new Map(Object.entries(CHUNKS).flatMap(([chunk, entries]) => entries.map((e) => [join(root, "src", `${e}.ts`), chunk])));
const rel = (path) => relative(root, path).split(sep).join("/");
/** How a chunk's code asks for a module of the boot bundle, and how it asks the launcher for a chunk. */
const BOOT_PREFIX = "quadlet-boot:";
const CHUNK_PREFIX = "quadlet:chunk/";

/**
 * In the boot bundle: a chunk entry becomes a stub that loads its chunk, and the generated
 * registry module maps each module a chunk needs to the boot bundle's own copy.
 */
function bootPlugin(shared) {
  return {
    name: "boot-chunks",
    setup(b) {
      b.onResolve({ filter: /^\.\.?\/.*\.js$/ }, (args) => {
        const path = resolve(args.resolveDir, args.path.replace(/\.js$/, ".ts"));
        return chunkOfEntry.has(path) ? { path, namespace: "chunk-stub" } : undefined;
      });
      b.onResolve({ filter: /^quadlet-chunks$/ }, () => ({ path: "quadlet-chunks", namespace: "chunk-registry" }));
      b.onLoad({ filter: /.*/, namespace: "chunk-stub" }, (args) => ({
        contents: `module.exports = require("quadlet-chunks").entryOf(${JSON.stringify(chunkOfEntry.get(args.path))}, ${JSON.stringify(rel(args.path))});`,
        loader: "js",
        resolveDir: root,
      }));
      b.onLoad({ filter: /.*/, namespace: "chunk-registry" }, () => ({ contents: registrySource(shared), loader: "js", resolveDir: root }));
    },
  };
}

/**
 * The boot bundle's side of the chunks: the modules chunks take from it (each required, so
 * initialised, only when a chunk first asks), and entryOf, which runs a chunk once and
 * returns one of its entry modules. The launcher (bin/quadlet, scripts/sea-entry.cjs)
 * compiles a chunk, with its code cache, when the bundle requires "quadlet:chunk/NAME";
 * without a launcher (`node dist/quadlet.cjs`), the chunk file beside the bundle is compiled here.
 */
function registrySource(shared) {
  const entries = [...shared].sort().map((path) => `  ${JSON.stringify(path)}: () => require(${JSON.stringify(join(root, path))}),`);
  return `const BOOT = {
${entries.join("\n")}
};
const taken = {};
function bootRequire(id) {
  if (!id.startsWith(${JSON.stringify(BOOT_PREFIX)})) return require(id);
  const name = id.slice(${BOOT_PREFIX.length});
  const load = BOOT[name];
  if (load === undefined) throw new Error("quadlet: this build's boot bundle lacks " + name + ": rebuild it");
  return (taken[name] ??= load());
}
function compiledChunk(chunk) {
  try {
    return require(${JSON.stringify(CHUNK_PREFIX)} + chunk);
  } catch (err) {
    if (err.code !== "MODULE_NOT_FOUND") throw err;
  }
  const file = require("node:path").join(__dirname, "quadlet-" + chunk + ".cjs");
  const source = require("node:fs").readFileSync(file, "utf8");
  return new (require("node:vm").Script)("(function (exports, require, module, __filename, __dirname) { " + source + "\\n})", { filename: file }).runInThisContext();
}
const chunks = {};
function entryOf(chunk, entry) {
  let loaded = chunks[chunk];
  if (loaded === undefined) {
    const module = { exports: {} };
    compiledChunk(chunk).call(module.exports, module.exports, bootRequire, module, "quadlet-" + chunk + ".cjs", __dirname);
    loaded = chunks[chunk] = module.exports;
  }
  return loaded[entry]();
}
module.exports = { entryOf };
`;
}

/** In a chunk: every module the boot bundle has is taken from it, not bundled again. */
function chunkPlugin(bootInputs, shared) {
  return {
    name: "chunk-shares-boot",
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData?.inner || args.kind === "entry-point" || args.namespace !== "file") return undefined;
        const found = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, importer: args.importer, pluginData: { inner: true } });
        if (found.errors.length || found.external || !found.path) return undefined;
        const path = rel(found.path);
        if (!bootInputs.has(path)) return undefined;
        shared.add(path);
        return { path: BOOT_PREFIX + path, external: true };
      });
    },
  };
}

const COMMON = {
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  minifySyntax: true,
  legalComments: "none",
  define: { QUADLET_VERSION: JSON.stringify(pkg.version) },
  logLevel: "warning",
};

// First the boot bundle alone, to learn its modules; then the chunks, each taking what the
// boot bundle has from it; then the boot bundle again, with the registry of what they take.
const shared = new Set();
const first = await build({ ...COMMON, entryPoints: [join(root, "src", "main.ts")], write: false, outfile, metafile: true, plugins: [bootPlugin(shared)] });
const bootInputs = new Set(Object.keys(first.metafile.inputs).filter((path) => !path.includes(":")));
const chunkCode = {};
for (const [chunk, entries] of Object.entries(CHUNKS)) {
  const table = entries.map((e) => `  ${JSON.stringify(`src/${e}.ts`)}: () => require(${JSON.stringify(join(root, "src", `${e}.ts`))}),`);
  const result = await build({
    ...COMMON,
    stdin: { contents: `module.exports = {\n${table.join("\n")}\n};\n`, resolveDir: root, sourcefile: `chunk-${chunk}.js`, loader: "js" },
    write: false,
    outfile: `quadlet-${chunk}.cjs`,
    plugins: [chunkPlugin(bootInputs, shared)],
  });
  chunkCode[chunk] = result.outputFiles[0].text;
}
const result = await build({ ...COMMON, entryPoints: [join(root, "src", "main.ts")], write: false, outfile, metafile: true, plugins: [bootPlugin(shared)] });
const grown = Object.keys(result.metafile.inputs).filter((path) => !path.includes(":") && !bootInputs.has(path));
if (grown.length) throw new Error(`the chunk registry pulled modules into the boot bundle: ${grown.join(", ")}`);

// The last line names this build, so bin/quadlet can tell whether a code cache was made for it.
mkdirSync(dirname(outfile), { recursive: true });
const code = result.outputFiles[0].text;
writeWithId(outfile, code);
for (const [chunk, text] of Object.entries(chunkCode)) writeWithId(chunkFile(outfile, chunk), text);
if (codeCache) makeCodeCache(outfile);

/** Where the chunk NAME of the bundle at `bundle` is written. */
function chunkFile(bundle, chunk) {
  return join(dirname(bundle), `quadlet-${chunk}.cjs`);
}

/** Writes `code` with a last line naming it, and removes the code cache made for what was there. */
function writeWithId(path, code) {
  const buildId = createHash("sha256").update(code).digest("hex").slice(0, 32);
  rmSync(`${path}.cache`, { force: true });
  writeAtomic(path, `${code}\n//# quadlet-build=${buildId}\n`);
}

function writeAtomic(path, data) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/**
 * Runs the new bundle through bin/quadlet over a few units of every type, in a dry run and
 * writing into a temp directory, so the cache holds every function a boot reaches; then
 * writes the cache. A failure only costs start-up time, so it is a warning.
 */
function makeCodeCache(bundle) {
  const work = mkdtempSync(join(tmpdir(), "quadlet-build-"));
  try {
    const units = join(work, "units");
    writeTrainingUnits(units);
    const launcher = join(root, "bin", "quadlet");
    const runs = [["-dryrun"], ["-no-kmsg-log", join(work, "out")]];
    const script = `require(${JSON.stringify(launcher)}).writeCodeCache(${JSON.stringify(bundle)}, ${JSON.stringify(runs)})`;
    const env = { ...process.env, QUADLET_UNIT_DIRS: `${join(root, "fixtures", "examples")}:${units}`, PODMAN: "/usr/bin/podman" };
    const r = spawnSync(process.execPath, ["-e", script], { env, encoding: "utf8", stdio: ["ignore", "ignore", "pipe"] });
    if (r.status !== 0) console.warn(`build: no code cache made (start-up will compile the bundle):\n${r.stderr ?? r.error}`);
    // The chunks' caches, made by the subcommands that use them: `verify` over a thousand
    // units compiling its chunk without one measured slower than a dry run of the same units.
    const compose = join(work, "compose.yaml");
    writeFileSync(compose, trainingCompose());
    const commandRuns = [["-dryrun", "-podman-version", "5.4.2"], ["-dryrun", "-podman-version", "4.4.1"], ["verify"], ["explain", "webapp.container"], ["graph"], ["--help"], ["convert", "run", "--", "podman", "run", "-d", "-p", "8080:80", "-v", "data:/data", "-e", "A=1", "nginx"], ["convert", "compose", "-f", compose]];
    const chunkScript = `require(${JSON.stringify(launcher)}).writeChunkCaches(${JSON.stringify(bundle)}, ${JSON.stringify(commandRuns)})`;
    const c = spawnSync(process.execPath, ["-e", chunkScript], { env, cwd: work, encoding: "utf8", stdio: ["ignore", "ignore", "pipe"] });
    if (c.status !== 0) console.warn(`build: no code cache made for the chunks (subcommands will compile them):\n${c.stderr ?? c.error}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** A small compose project for `convert compose` to train the convert chunk's cache on. */
function trainingCompose() {
  return `services:
  web:
    image: docker.io/library/nginx:1
    ports: ["8080:80"]
    volumes: ["data:/usr/share/nginx/html:ro"]
    environment:
      A: "1"
    depends_on: [db]
  db:
    image: docker.io/library/postgres:16
    volumes: ["pg:/var/lib/postgresql/data"]
volumes:
  data: {}
  pg: {}
`;
}

/** Small units of the types fixtures/examples lacks, with a drop-in and a template instance. */
function writeTrainingUnits(dir) {
  const files = {
    "train.pod": "[Pod]\nPodName=train\nPublishPort=8080:80\nNetwork=train.network\n",
    "train.network": "[Network]\nSubnet=10.89.0.0/24\nLabel=a=b\n",
    "train.kube": "[Kube]\nYaml=/etc/containers/train.yaml\nPublishPort=8081:80\n\n[Install]\nWantedBy=default.target\n",
    "train.image": "[Image]\nImage=registry.example.com/train:1\n",
    "train.build": "[Build]\nImageTag=localhost/train:latest\nFile=/srv/train/Containerfile\nSetWorkingDirectory=/srv/train\n",
    "train.artifact": "[Artifact]\nArtifact=registry.example.com/train-model:1\n",
    "train-app@.container":
      "# a template\n[Unit]\nDescription=train %i\n\n[Container]\nImage=train.image\nPod=train.pod\nEnvironment=A=1 \"B=two words\"\nVolume=train.volume:/data:Z\nLabel=x=y\nExec=/bin/run --id %i\n\n[Service]\nRestart=always\n\n[Install]\nWantedBy=multi-user.target\nDefaultInstance=one\n",
    "train-app@two.container": "[Container]\nImage=train.image\n",
    "train-app@.container.d/10-extra.conf": "[Container]\nPodmanArgs=--memory 64m\n",
    "train.volume": "[Volume]\nLabel=k=v\nUser=1000\n",
  };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}
