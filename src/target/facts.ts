/**
 * The shape of the generated facts about podman releases (src/target/podman-data.ts), written
 * by hand so that the generated module stays plain literals.
 */

/**
 * One flag: the first release that accepts it, its arity (0 takes no value, 1 needs one,
 * 2 may take one; 4 is added for a global flag accepted only before the subcommand), its
 * one-letter form ("" for none) and the release that removed it, if one did.
 */
export type FlagFact = readonly [since: string, arity: number, short?: string, removedIn?: string];

export interface CommandFacts {
  /** The first release that has the subcommand. */
  readonly since: string;
  readonly flags: Readonly<Record<string, FlagFact>>;
}

export interface PodmanFacts {
  /** Every release the data describes, oldest first: the last patch of each minor, and main. */
  readonly releases: readonly string[];
  /** Which release a distribution ships (`debian-12`: `4.3.1`). */
  readonly distros: Readonly<Record<string, string>>;
  /** Per subcommand (`run`, `kube play`, `(global)`), its flags. */
  readonly commands: Readonly<Record<string, CommandFacts>>;
  /**
   * Values whose acceptance changed: `"run --sdnotify": {healthy: "4.7.2", …}`; or, for a
   * feature that is one value, the release itself (`"run --security-opt label=nested": "4.5.1"`).
   */
  readonly values: Readonly<Record<string, Readonly<Record<string, string>> | string>>;
  /**
   * `"run --network": "4.0.3"`: flags that took a single value (the last one given won)
   * before the release that made them take a list.
   */
  readonly repeatable: Readonly<Record<string, string>>;
  /** Per quadlet section, the first release whose podman quadlet knows each key. */
  readonly keySince: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Per quadlet section (`*` for all), `"command flag"` to the keys that make it; "" = always made. */
  readonly emittedBy: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}
