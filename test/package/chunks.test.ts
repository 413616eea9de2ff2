/**
 * The bundle's chunks (scripts/build.mjs): the code only subcommands and --help run is kept
 * out of the boot bundle, takes the modules it shares with the generator from the boot
 * bundle instead of carrying copies, and is compiled with a code cache V8 takes.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, run } from "./helpers.js";

const DIST = join(ROOT, "dist");
const LAUNCH = join(ROOT, "bin", "quadlet");
const CHUNKS = ["commands", "convert", "help", "retarget"];
const EXAMPLES = join(ROOT, "fixtures", "examples");

/** The source files esbuild names in a bundle, one `// path` line before each module's code. */
function modulesOf(file: string): Set<string> {
  return new Set([...readFileSync(join(DIST, file), "utf8").matchAll(/^\/\/ (\S+\.[cm]?[jt]s)$/gm)].map((m) => m[1]!));
}

/** The environment systemd gives a generator, as far as Node is concerned: no NODE_* at all. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith("NODE_")) env[name] = value;
  return env;
}

describe("the boot bundle", () => {
  it("and each chunk is ASCII, so V8 holds its source as one byte a character, not two", () => {
    for (const file of ["quadlet.cjs", ...CHUNKS.map((c) => `quadlet-${c}.cjs`)]) {
      const lines = readFileSync(join(DIST, file), "utf8").split("\n");
      // eslint-disable-next-line no-control-regex
      const wide = lines.flatMap((line, i) => (/[^\x00-\x7f]/.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : []));
      expect(wide).toEqual([]);
    }
  });

  it("carries none of the subcommands', the help's, commander's or the retargeting pass's code", () => {
    const boot = [...modulesOf("quadlet.cjs")];
    expect(boot).toContain("src/main.ts");
    expect(boot.filter((m) => /^src\/commands\/(?!index\.ts$)|^src\/help\.ts$|^src\/manage\/|node_modules\//.test(m))).toEqual([]);
    expect(boot).not.toContain("src/target/retarget.ts");
  });
});

describe("each chunk", () => {
  it("holds its entries and takes every module of the boot bundle from it, never a copy", () => {
    const boot = modulesOf("quadlet.cjs");
    const commands = modulesOf("quadlet-commands.cjs");
    expect([...commands]).toContain("src/commands/verify.ts");
    expect([...commands].filter((m) => m.includes("node_modules/"))).toEqual([]);
    expect([...modulesOf("quadlet-convert.cjs")]).toContain("src/commands/convert.ts");
    expect([...modulesOf("quadlet-help.cjs")]).toContain("src/help.ts");
    for (const chunk of CHUNKS) expect([...modulesOf(`quadlet-${chunk}.cjs`)].filter((m) => boot.has(m)), chunk).toEqual([]);
    expect(readFileSync(join(DIST, "quadlet-commands.cjs"), "utf8")).toContain('require("quadlet-boot:src/generator/index.ts")');
  });

  it("has a code cache V8 takes when compiled as the launcher compiles it, before V8 is tuned", () => {
    for (const chunk of CHUNKS) {
      const file = join(DIST, `quadlet-${chunk}.cjs`);
      const script = `
        const { readFileSync } = require("node:fs");
        const launch = require(${JSON.stringify(LAUNCH)});
        const { script } = launch.compile(readFileSync(${JSON.stringify(file)}, "utf8"), "chunk", readFileSync(${JSON.stringify(`${file}.cache`)}));
        process.stdout.write(String(script.cachedDataRejected));`;
      const r = run(process.execPath, ["-e", script], { env: cleanEnv() });
      expect(r.stderr).toBe("");
      expect(r.stdout, chunk).toBe("false");
    }
  });
});

describe("a subcommand", () => {
  it("prints the same whether the launcher compiles its chunk or the bundle run alone does", () => {
    const args = ["verify", "--format", "json", EXAMPLES];
    const launched = run(process.execPath, [LAUNCH, ...args], { env: cleanEnv() });
    const alone = run(process.execPath, [join(DIST, "quadlet.cjs"), ...args], { env: cleanEnv() });
    expect(launched.stdout).toContain('"units"');
    expect(alone).toEqual(launched);
  });
});
