// Bundles src/main.ts into one CommonJS file, dist/quadlet.cjs, then makes V8's code cache
// for it, dist/quadlet.cjs.cache, which bin/quadlet uses so a boot does not compile the
// generator again. CommonJS because Node's single-executable applications only run CommonJS.
//
//   node scripts/build.mjs [--outfile PATH] [--no-code-cache]
//
// Only the syntax is minified. Names and line breaks are kept: with the code cache, the
// bundle's size made no measurable difference to start-up, while an uncaught error prints
// its source line, which in a fully minified bundle is tens of kilobytes long, and CPU
// profiles (`node --cpu-prof bin/quadlet …`) stay readable.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { brotliCompressSync } from "node:zlib";
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

// `--outfile PATH` builds elsewhere, e.g. to compare two builds side by side.
const outArg = process.argv.indexOf("--outfile");
const outfile = outArg !== -1 ? process.argv[outArg + 1] : join(root, "dist", "quadlet.cjs");
const codeCache = !process.argv.includes("--no-code-cache");

const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

/**
 * Subcommands too big for the generator's start-up to carry are bundled on their own,
 * compressed, and included as a string that is decompressed and compiled only when the
 * subcommand runs. Every byte of the bundle is read and copied at each start, whether it
 * runs or not: measured, 430 KB more cost every boot about 3 ms of CPU time, and `convert`
 * with its YAML reader is that big; compressed like this, it adds about 90 KB.
 */
const SEPARATE_SUBCOMMANDS = ["convert"];

const separateSubcommands = {
  name: "separate-subcommands",
  setup(b) {
    const names = SEPARATE_SUBCOMMANDS.join("|");
    b.onResolve({ filter: new RegExp(`^\\./(${names})\\.js$`) }, (args) =>
      /[\\/]src[\\/]commands[\\/]index\.ts$/.test(args.importer) ? { path: join(root, "src", "commands", args.path.replace(/\.js$/, ".ts")), namespace: "separate" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "separate" }, async (args) => {
      const chunk = await build({ ...COMMON, entryPoints: [args.path], write: false, outfile: "chunk.cjs", minifyWhitespace: true });
      const packed = brotliCompressSync(Buffer.from(chunk.outputFiles[0].text)).toString("base64");
      const name = args.path.slice(args.path.lastIndexOf("/") + 1).replace(/\.ts$/, ".cjs");
      const contents = [
        `const code = require("node:zlib").brotliDecompressSync(Buffer.from(${JSON.stringify(packed)}, "base64")).toString("utf8");`,
        `require("node:vm").compileFunction(code, ["exports", "require", "module"], { filename: ${JSON.stringify(name)} })(module.exports, require, module);`,
      ].join("\n");
      return { contents, loader: "js", resolveDir: dirname(args.path) };
    });
  },
};

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

const result = await build({
  ...COMMON,
  entryPoints: [join(root, "src", "main.ts")],
  write: false,
  outfile,
  plugins: [separateSubcommands],
});

// The last line names this build, so bin/quadlet can tell whether a code cache was made for it.
const code = result.outputFiles[0].text;
const buildId = createHash("sha256").update(code).digest("hex").slice(0, 32);
mkdirSync(dirname(outfile), { recursive: true });
rmSync(`${outfile}.cache`, { force: true });
writeAtomic(outfile, `${code}\n//# quadlet-build=${buildId}\n`);
if (codeCache) makeCodeCache(outfile);

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
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
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
