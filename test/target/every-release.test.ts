// For every podman release the facts describe (3.4.4 on), every unit of the project's
// fixtures, and of podman's upstream cases where they are beside the project, either comes
// out with only arguments that release accepts, or is refused with the version error. The
// one exception is a flag the user passed in PodmanArgs= or GlobalArgs=: it is kept, and a
// warning names it.
import { existsSync, readdirSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { hostFs } from "../../src/fsys.js";
import { compileAll, type Compiled } from "../../src/generator/index.js";
import { CollectingLogger } from "../../src/log.js";
import { discoverUnits } from "../../src/parser/discover.js";
import type { UnitFile } from "../../src/parser/unitfile.js";
import { readPodmanLine, type PodmanLine } from "../../src/target/command-line.js";
import { flagWorks, hasSince, PODMAN_FACTS } from "../../src/target/query.js";
import { lacksOf } from "../../src/target/retarget.js";
import { parsePodmanVersion, type PodmanTarget } from "../../src/target/version.js";

const PODMAN = "/usr/bin/podman";
const VERSION_ERROR = /(error\[QL0901\]: \S+=.* needs podman [\d.]+ or later|error\[QL0902\]: \.\w+ units run podman .*, which needs podman [\d.]+ or later); the target is podman /;

function unitDirs(): string[] {
  const dirs = readdirSync("fixtures").map((d) => resolve("fixtures", d));
  const cases = resolve("../shared/conformance/cases");
  // The upstream cases, where they are beside the project: one directory of them all
  // (unit search covers its subdirectories).
  if (existsSync(cases)) dirs.push(cases);
  return dirs;
}

/** Every unit of every directory, each directory compiled on its own as a unit directory. */
function unitsOf(dir: string): UnitFile[] {
  return discoverUnits({ userMode: false, env: { QUADLET_UNIT_DIRS: dir }, uid: 0 }, hostFs, new CollectingLogger()).units;
}

const dirs = unitDirs().map((d) => [d, unitsOf(d)] as const).filter(([, units]) => units.length > 0);
const releases = PODMAN_FACTS.releases.filter((r) => r !== "main");

/** The Exec lines of a service that run podman, read back. */
function podmanLines(service: UnitFile) {
  return (service.group("Service")?.lines ?? [])
    .filter((l) => !l.isComment && !l.origin && l.key.startsWith("Exec"))
    .map((l) => {
      const guarded = /^[-@+!:|]*\/bin\/sh -c .* sh (.*)$/.exec(l.value);
      return readPodmanLine(guarded ? guarded[1]! : l.value, PODMAN);
    })
    .filter((l) => l !== undefined);
}

describe.each(releases)("podman %s", (release) => {
  const target: PodmanTarget = { version: parsePodmanVersion(release)!, source: "given" };
  it("gets units whose every argument it accepts, or the version error", () => {
    const bad: string[] = [];
    let ok = 0;
    let refused = 0;
    for (const [dir, units] of dirs) {
      const newest = new Map(compileAll(units, { userMode: false, podman: PODMAN }).map((r) => [r.source, r]));
      for (const r of compileAll(units, { userMode: false, podman: PODMAN, target })) {
        if (r.ok) {
          ok++;
          // A flag the user passed through PodmanArgs=/GlobalArgs= is theirs: it may stay, with a warning.
          const warned = (flag: string) => r.service.warnings.some((w) => w.includes("warning[QL0903]") && w.includes(` passes ${flag},`));
          for (const line of podmanLines(r.service.unit)) {
            for (const lack of lacksOf(line, line.command, target)) {
              if (!warned(lack.flag)) bad.push(`${dir}/${r.source.filename}: ${lack.command} ${lack.flag} ${lack.value ?? ""}`);
            }
            for (const word of unknownWords(line, target)) if (!warned(word.split("=")[0]!)) bad.push(`${dir}/${r.source.filename}: ${line.command} ${word}`);
          }
        } else if (newest.get(r.source)?.ok) {
          refused++;
          if (!r.errors.every((e) => VERSION_ERROR.test(e))) bad.push(`${dir}/${r.source.filename}: ${r.errors.join(" | ")}`);
        } else {
          expect(sameFailure(r, newest.get(r.source)), `${r.source.filename} fails for the newest podman too`).toBe(true);
        }
      }
    }
    expect(bad).toEqual([]);
    expect(ok).toBeGreaterThan(0);
    counts.set(release, refused);
    console.log(release, ok, refused);
  });
});

const counts = new Map<string, number>();
it("refuses more units the older the podman, and none for the newest", () => {
  expect(counts.get("3.4.4")).toBeGreaterThan(counts.get("4.3.1")!);
  expect(counts.get("4.3.1")).toBeGreaterThan(counts.get("5.4.2")!);
  expect(counts.get("6.0.0-rc1")).toBe(0);
});

/**
 * A second reading, word by word and independent of the pass's own flag scanner: each
 * `--flag` word before the first `--` is one the release has (for the subcommand or as a
 * global flag), or one the facts do not know at all. Values are the scanner's to check.
 */
function unknownWords(line: PodmanLine, target: PodmanTarget): string[] {
  const out: string[] = [];
  const since = PODMAN_FACTS.commands[line.command]!.since;
  if (!hasSince(target.version, since)) out.push("(the subcommand)");
  for (const [table, words] of [["(global)", line.globals], [line.command, line.args]] as const) {
    for (const w of words) {
      if (w === "--") break;
      if (!w.startsWith("--")) continue;
      const name = w.split("=")[0]!;
      const own = PODMAN_FACTS.commands[table]!.flags[name];
      const global = PODMAN_FACTS.commands["(global)"]!.flags[name];
      if (own && flagWorks(target.version, own, PODMAN_FACTS.commands[table]!.since)) continue;
      if (global && flagWorks(target.version, global, "3.4.4")) continue;
      if (own || global) out.push(w);
    }
  }
  return out;
}

/** A unit the newest podman refuses is refused for older ones too (for its own reasons, or the version's). */
function sameFailure(old: Compiled, newest: Compiled | undefined): boolean {
  return !old.ok && newest !== undefined && !newest.ok;
}
