// Bundles src/cli.ts into one CommonJS file, dist/quadlet.cjs.
// CommonJS because Node's single-executable applications only run CommonJS scripts.
import { build } from "esbuild";
import { readFileSync } from "node:fs";

// `--outfile PATH` builds elsewhere (so parallel work can each keep a bundle of its own).
const outArg = process.argv.indexOf("--outfile");
const outfile = outArg !== -1 ? process.argv[outArg + 1] : new URL("../dist/quadlet.cjs", import.meta.url).pathname;

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

await build({
  entryPoints: [new URL("../src/main.ts", import.meta.url).pathname],
  outfile,
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  minifySyntax: true,
  legalComments: "none",
  define: { QUADLET_VERSION: JSON.stringify(pkg.version) },
  logLevel: "warning",
});
