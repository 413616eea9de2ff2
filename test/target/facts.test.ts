// The release facts: what the generated module says, checked against the key tables, the
// figures podman's release data gives, and the man page's table.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { QUADLET_KEYS } from "../../src/generator/common.js";
import { sinceIn, type KeyRow } from "../../src/generator/keys.js";
import { UNIT_TYPES } from "../../src/generator/registry.js";
import { USER_MAPPING_KEYS } from "../../src/generator/shared-args.js";
import { flagSince, keySince, PODMAN_FACTS, releaseBound, releaseOf } from "../../src/target/query.js";
import { keyVersionTable } from "../../src/target/table.js";
import { compareVersions, NEWEST_PODMAN, OLDEST_PODMAN, parsePodmanVersion } from "../../src/target/version.js";

const rank = (r: string) => PODMAN_FACTS.releases.indexOf(r);

describe("keySince", () => {
  const rows = [...[...UNIT_TYPES.values()].flatMap((t) => t.keys.map((k) => [t.group, k] as const)), ...QUADLET_KEYS.map((k) => ["Quadlet", k] as const)];

  it("knows every key of every unit type's table, and of [Quadlet]", () => {
    expect(rows.filter(([group, row]) => keySince(group, row.key) === undefined).map(([g, r]) => `${g}.${r.key}`)).toEqual([]);
  });

  it("gives every row the release the facts give for its key in that section", () => {
    const drift = rows.filter(([group, row]) => releaseBound(keySince(group, row.key)!).text !== sinceIn(row, group));
    expect(drift.map(([g, r]) => `${g}.${r.key}: table ${sinceIn(r, g)}, facts ${releaseBound(keySince(g, r.key)!).text}`)).toEqual([]);
    expect(keySince("Container", "HealthLogDestination")).toBe("5.3.2");
    expect(keySince("Build", "ImageTag")).toBe("5.2.5");
  });

  it("gives a row several sections share one release per section where they differ", () => {
    const byRow = new Map<KeyRow, string[]>();
    for (const [group, row] of rows) byRow.set(row, [...(byRow.get(row) ?? []), group]);
    const userNS = USER_MAPPING_KEYS.find((r) => r.key === "UserNS")!;
    expect([sinceIn(userNS, "Container"), sinceIn(userNS, "Pod")]).toEqual(["4.5", "5.3"]);
    expect(userNS.since).toBe("4.5"); // the earliest of its sections
    for (const [row, groups] of byRow) {
      if (!row.sinceBy) continue;
      expect(Object.keys(row.sinceBy).sort()).toEqual([...groups].sort());
      expect(new Set(Object.values(row.sinceBy)).size).toBeGreaterThan(1);
    }
  });
});

describe("flagSince", () => {
  it("gives the first release of a flag, of a short flag, and of a subcommand", () => {
    expect(flagSince("run", "--dns-option")).toBe("4.3.1");
    expect(flagSince("run", "--dns-opt")).toBe("3.4.4");
    expect(flagSince("run", "-d")).toBe("3.4.4");
    expect(flagSince("kube play")).toBe("4.3.1");
    expect(flagSince("kube play", "--annotation")).toBe("4.3.1"); // the flag is older than the subcommand
    expect(flagSince("volume create", "--ignore")).toBe("4.4.4");
    expect(flagSince("run", "--no-such-flag")).toBeUndefined();
  });
});

describe("releases", () => {
  it("reads a release listed at a minor's last patch as that minor's first", () => {
    expect(releaseBound("5.3.2").text).toBe("5.3");
    expect(releaseBound("4.9.5").text).toBe("4.9.5");
    expect(releaseOf(parsePodmanVersion("4.9.4")!)).toBe("4.9.3");
    expect(releaseOf(parsePodmanVersion("5.3.0")!)).toBe("5.3.2");
  });

  it("has the same newest and oldest podman as version.ts, which decides without loading the facts", () => {
    expect(compareVersions(releaseBound(PODMAN_FACTS.releases.at(-1)!), NEWEST_PODMAN)).toBe(0);
    expect(compareVersions(releaseBound(PODMAN_FACTS.releases[0]!), OLDEST_PODMAN)).toBe(0);
  });

  // podman's release data counts, of the (subcommand, flag) pairs quadlet can emit, how many
  // each distribution's podman lacks.
  it.each([
    ["5.4.2", 3],
    ["4.9.3", 19],
    ["4.3.1", 34],
    ["3.4.4", 55],
  ])("podman %s lacks %i of the flags quadlet emits", (release, lacking) => {
    const pairs = new Set<string>();
    for (const emits of Object.values(PODMAN_FACTS.emittedBy)) for (const made of Object.keys(emits)) pairs.add(made);
    const since = (made: string) => {
      const at = made.indexOf(" --");
      return at === -1 ? flagSince(made)! : flagSince(made.slice(0, at), made.slice(at + 1))!;
    };
    expect([...pairs].filter((p) => rank(since(p)) > rank(release))).toHaveLength(lacking);
  });
});

describe("man/quadlet.unit.5.md", () => {
  it("has the table of which keys need which podman, as the facts give it", () => {
    const page = readFileSync("man/quadlet.unit.5.md", "utf8");
    const table = /<!-- podman-versions -->\n([\s\S]*?)\n<!-- \/podman-versions -->/.exec(page)?.[1];
    expect(table).toBe(keyVersionTable());
    expect(table).toContain("| [Container] | `HealthLogDestination=` | 5.3 | 5.3 |");
    // DNSOption= makes --dns-option, which podman before 4.3 knows as --dns-opt: no row.
    expect(table).not.toContain("`DNSOption=`");
  });
});
