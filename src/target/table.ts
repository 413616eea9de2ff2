/**
 * The table of man/quadlet.unit.5.md that says which keys need which podman. It is worked
 * out by the retargeting pass itself: for each key, the podman arguments it makes are put
 * through the pass for every release, so the table counts the equivalents quadlet writes
 * for older podman (`--dns-opt`, `play kube`, the guarded `volume create`).
 * scripts/podman-data.mjs writes it into the page; a test checks that it is current.
 */
import type { PodmanLine } from "./command-line.js";
import { PODMAN_FACTS, releaseBound } from "./query.js";
import { lacksOf } from "./retarget.js";
import { rewriteForTarget } from "./rewrite.js";
import { parsePodmanVersion, type PodmanTarget } from "./version.js";

const releases = PODMAN_FACTS.releases.filter((r) => r !== "main");

/** The oldest release from which on `command flag` works, directly or by its equivalent. */
export function oldestWorking(command: string, flag: string): string {
  let oldest = releases[releases.length - 1]!;
  const line = probeLine(command, flag);
  for (let i = releases.length - 1; i >= 0; i--) {
    const target: PodmanTarget = { version: parsePodmanVersion(releases[i]!)!, source: "given" };
    if (lacksOf(rewriteForTarget(line, target.version).line, line.command, target).length) break;
    oldest = releases[i]!;
  }
  return oldest;
}

/** `podman command [flag [x]] NAME`, or `podman flag x run NAME` for a global flag. */
function probeLine(command: string, flag: string): PodmanLine {
  const fact = flag ? PODMAN_FACTS.commands[command]?.flags[flag] : undefined;
  const flagWords = !flag ? [] : fact && (fact[1] & 3) === 1 ? [flag, "x"] : [flag];
  if (command === "(global)") return { prefix: "", exe: "podman", globals: flagWords, command: "run", commandWords: ["run"], args: ["NAME"] };
  return { prefix: "", exe: "podman", globals: [], command, commandWords: command.split(" "), args: [...flagWords, "NAME"] };
}

function later(a: string, b: string): string {
  return PODMAN_FACTS.releases.indexOf(a) >= PODMAN_FACTS.releases.indexOf(b) ? a : b;
}

/** `5.3` for a release listed as 5.3.2: see releaseBound. */
function shown(release: string): string {
  return releaseBound(release).text;
}

/** The markdown table: every key that needs more than the oldest release, and unit types that do. */
export function keyVersionTable(): string {
  const rows = ["| section | key | needs podman | podman's own quadlet has it from |", "| --- | --- | --- | --- |"];
  const oldest = releases[0]!;
  for (const [group, keys] of Object.entries(PODMAN_FACTS.keySince)) {
    const emits = { ...PODMAN_FACTS.emittedBy["*"], ...PODMAN_FACTS.emittedBy[group] };
    const need = (key: string): string => {
      let n = oldest;
      for (const [made, by] of Object.entries(emits)) {
        if (!by.includes(key)) continue;
        const i = made.indexOf(" --");
        n = later(n, i === -1 ? oldestWorking(made, "") : oldestWorking(made.slice(0, i), made.slice(i + 1)));
      }
      return n;
    };
    const always = need("");
    if (always !== oldest) rows.push(`| [${group}] | every unit | ${shown(always)} | |`);
    for (const key of Object.keys(keys).sort()) {
      const n = need(key);
      if (n !== oldest && later(n, always) !== always) rows.push(`| [${group}] | \`${key}=\` | ${shown(n)} | ${shown(keys[key]!)} |`);
    }
  }
  return `${rows.join("\n")}\n\n${valueTable()}`;
}

/** The values that arrived later than their flag: `run --sdnotify healthy` from 4.7. */
function valueTable(): string {
  const rows = ["| podman argument | value | needs podman |", "| --- | --- | --- |"];
  const oldest = releases[0]!;
  for (const [name, facts] of Object.entries(PODMAN_FACTS.values)) {
    if (typeof facts === "string") {
      const at = name.lastIndexOf(" ");
      if (facts !== oldest) rows.push(`| \`${name.slice(0, at)}\` | \`${name.slice(at + 1)}\` | ${shown(facts)} |`);
      continue;
    }
    const m = /^(.*? --[\w-]+)(?: (.+))?$/.exec(name)!;
    const byRelease = new Map<string, string[]>();
    for (const [value, since] of Object.entries(facts)) {
      if (since === oldest) continue;
      const written = m[2] === undefined ? value : m[2].endsWith(":") ? `${m[2]}${value}=…` : `${m[2]}${value}`;
      byRelease.set(since, [...(byRelease.get(since) ?? []), `\`${written}\``]);
    }
    for (const [since, values] of byRelease) rows.push(`| \`${m[1]}\` | ${values.join(", ")} | ${shown(since)} |`);
  }
  return rows.join("\n");
}
