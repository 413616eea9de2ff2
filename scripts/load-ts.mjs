// Loads TypeScript sources of the project into a script: the module text `contents` (imports
// relative to the project root) is bundled with esbuild into a temporary CommonJS file and
// required; its exports are returned.
import { build } from "esbuild";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export async function loadTs(contents) {
  const dir = mkdtempSync(join(tmpdir(), "quadlet-ts-"));
  const out = join(dir, "module.cjs");
  try {
    await build({ stdin: { contents, resolveDir: root, loader: "ts" }, outfile: out, bundle: true, platform: "node", format: "cjs", logLevel: "error" });
    return createRequire(import.meta.url)(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
