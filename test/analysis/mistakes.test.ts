/**
 * fixtures/mistakes: realistic mistakes, one per file or drop-in. Analysis must find
 * exactly the (code, file, line) set that fixtures/mistakes/expected.txt lists: a missing
 * diagnostic, an extra one, a wrong line or a wrong code all fail.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/analysis/index.js";
import { hostFs } from "../../src/fsys.js";
import { CollectingLogger } from "../../src/log.js";
import { discoverUnits } from "../../src/parser/discover.js";

const DIR = resolve("fixtures/mistakes");

/** `CODE FILE LINE` lines (`-` for no line); `#` starts a comment. */
function expected(): string[] {
  return readFileSync(`${DIR}/expected.txt`, "utf8")
    .split("\n")
    .map((l) => l.replace(/#.*/, "").trim().split(/\s+/).join(" "))
    .filter((l) => l.length > 0)
    .sort();
}

function found(): string[] {
  const { units } = discoverUnits({ userMode: false, env: { QUADLET_UNIT_DIRS: DIR }, uid: 0 }, hostFs, new CollectingLogger());
  const analysis = analyze(units, { userMode: false, podman: "/usr/bin/podman" });
  const out: string[] = [];
  for (const u of analysis.units) for (const d of u.diagnostics) out.push(`${d.code} ${d.file.slice(DIR.length + 1)} ${d.line ?? "-"}`);
  return out.sort();
}

describe("fixtures/mistakes", () => {
  it("has at least 30 mistakes, one per file or drop-in", () => {
    const files = new Set(expected().map((l) => l.split(" ")[1]));
    expect(files.size).toBeGreaterThanOrEqual(30);
  });

  it("yields exactly the expected diagnostics", () => {
    expect(found()).toEqual(expected());
  });
});
