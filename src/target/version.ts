/**
 * The podman release quadlet writes units for: parsed from `-podman-version`,
 * `QUADLET_PODMAN_VERSION`, or the installed package. This file is on the boot path and
 * holds no facts about releases; those load only when a target is older than the newest.
 */

export interface PodmanVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** As written (`4.3.1`), for messages. */
  readonly text: string;
}

/** How quadlet came to target a release: it was given one, or found the installed podman. */
export type TargetSource = "given" | "installed";

/** The podman release that generated units must work with. */
export interface PodmanTarget {
  readonly version: PodmanVersion;
  readonly source: TargetSource;
}

const VERSION = /^v?(\d{1,4})\.(\d{1,4})(?:\.(\d{1,6}))?/;

/**
 * Reads `X.Y` or `X.Y.Z`, with anything after it ignored (`4.3.1+ds1-8`, `6.0.0-rc1`), so
 * that a distribution's package version reads too. Undefined when it does not start so.
 */
export function parsePodmanVersion(text: string): PodmanVersion | undefined {
  const m = VERSION.exec(text.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0), text: m[0].replace(/^v/, "") };
}

/** Negative when `a` is older than `b`, zero when equal, positive when newer. */
export function compareVersions(a: PodmanVersion, b: PodmanVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/**
 * The release whose flags quadlet writes when nothing older is targeted: podman's newest, as
 * described by src/target/podman-data.ts (a test keeps the two in step). A target this new or
 * newer changes nothing, and loads nothing.
 */
export const NEWEST_PODMAN: PodmanVersion = { major: 6, minor: 0, patch: 0, text: "6.0.0" };

/** The oldest release the facts describe (3.4.4, so 3.4): quadlet writes no units for older ones. */
export const OLDEST_PODMAN: PodmanVersion = { major: 3, minor: 4, patch: 0, text: "3.4" };

/** Whether units for `target` differ from units for the newest podman. */
export function needsRetargeting(target: PodmanTarget | undefined): target is PodmanTarget {
  return target !== undefined && compareVersions(target.version, NEWEST_PODMAN) < 0;
}
