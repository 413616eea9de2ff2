/**
 * Questions about podman releases, answered from the generated facts (podman-data.ts).
 * Loaded only when units are made for a podman older than the newest.
 */
import type { FlagFact } from "./facts.js";
import { PODMAN_FACTS } from "./podman-data.js";
import { compareVersions, parsePodmanVersion, type PodmanVersion } from "./version.js";

export { PODMAN_FACTS };

/** The first release whose podman quadlet knows `key` in `[section]`, e.g. `5.3.2`. */
export function keySince(section: string, key: string): string | undefined {
  return PODMAN_FACTS.keySince[section]?.[key];
}

/**
 * The first release that accepts `flag` (`--dns-option`, `-d`) after `podman subcommand`
 * (`run`, `kube play`, `(global)`), or that has the subcommand when `flag` is omitted.
 */
export function flagSince(subcommand: string, flag?: string): string | undefined {
  const command = PODMAN_FACTS.commands[subcommand];
  if (!command) return undefined;
  if (flag === undefined) return command.since;
  const fact = flagFact(subcommand, flag);
  return fact ? later(fact[0], command.since) : undefined;
}

/** A flag's facts, by its long name or its one letter (`-d`). */
export function flagFact(subcommand: string, flag: string): FlagFact | undefined {
  const flags = PODMAN_FACTS.commands[subcommand]?.flags;
  if (!flags) return undefined;
  if (flag.startsWith("--")) return Object.hasOwn(flags, flag) ? flags[flag] : undefined;
  return shortFlags(subcommand).get(flag.slice(1))?.[1];
}

const shortIndex = new Map<string, Map<string, [string, FlagFact]>>();

/** The one-letter flags of a subcommand: letter to [long name, facts]. */
export function shortFlags(subcommand: string): Map<string, [string, FlagFact]> {
  let index = shortIndex.get(subcommand);
  if (index) return index;
  index = new Map();
  for (const [name, fact] of Object.entries(PODMAN_FACTS.commands[subcommand]?.flags ?? {})) {
    if (fact[2]) index.set(fact[2], [name, fact]);
  }
  shortIndex.set(subcommand, index);
  return index;
}

/** Each release's place in the list, looked up once per name instead of searched per call. */
const RANKS = new Map(PODMAN_FACTS.releases.map((release, i) => [release, i]));

function rank(release: string): number {
  return RANKS.get(release) ?? -1;
}

/** The later of two releases of the data. */
export function later(a: string, b: string): string {
  return rank(a) >= rank(b) ? a : b;
}

const bounds = new Map<string, PodmanVersion>();

/**
 * The oldest version known to have what the data says arrived in `release`. The data lists
 * the last patch of each minor, so "since 5.3.2" means "somewhere in 5.3": 5.3.0, as features
 * arrive with a minor. Where the data lists two patches of one minor (4.9.3, 4.9.5), a fact
 * of the second is only known from that patch. `main` is the coming 6.0.0.
 */
export function releaseBound(release: string): PodmanVersion {
  let bound = bounds.get(release);
  if (bound) return bound;
  const at = rank(release);
  const previous = at > 0 ? parsePodmanVersion(PODMAN_FACTS.releases[at - 1]!) : undefined;
  const own = parsePodmanVersion(release === "main" ? "6.0.0" : release);
  if (!own) throw new Error(`podman-data.ts lists a release it cannot read: ${release}`);
  const sameMinor = previous && previous.major === own.major && previous.minor === own.minor;
  bound = sameMinor ? own : { major: own.major, minor: own.minor, patch: 0, text: `${own.major}.${own.minor}` };
  bounds.set(release, bound);
  return bound;
}

/** Whether podman `target` has what arrived in data release `since`. */
export function hasSince(target: PodmanVersion, since: string): boolean {
  return compareVersions(target, releaseBound(since)) >= 0;
}

/** Whether a flag with these facts works on `target`: it has arrived and not been removed. */
export function flagWorks(target: PodmanVersion, fact: FlagFact, commandSince: string): boolean {
  // Asked for every flag of every unit: the answer is kept per target and flag. A flag's
  // facts belong to one subcommand's table, so `commandSince` is the same for each of them.
  let known = verdicts.get(target);
  if (!known) verdicts.set(target, (known = new WeakMap()));
  let works = known.get(fact);
  if (works === undefined) {
    works = hasSince(target, later(fact[0], commandSince)) && (fact[3] === undefined || !hasSince(target, fact[3]));
    known.set(fact, works);
  }
  return works;
}

const verdicts = new WeakMap<PodmanVersion, WeakMap<FlagFact, boolean>>();

/** The data's release that a target version falls in: the last one it has everything of. */
export function releaseOf(target: PodmanVersion): string | undefined {
  let found: string | undefined;
  for (const r of PODMAN_FACTS.releases) if (hasSince(target, r)) found = r;
  return found;
}
