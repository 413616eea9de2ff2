/**
 * What every subcommand (`quadlet verify`, `quadlet install`, …) is given: the file system,
 * the environment and where to print. Tests pass their own.
 */
import type { FileSystem } from "../fsys.js";

export interface CommandContext {
  readonly fs: FileSystem;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly uid: number;
  /** The directory relative paths on the command line are taken from. */
  readonly cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /**
   * Called once the units are found and the code to convert them is loaded, with how many
   * there are: the process may tune itself for a long run (src/tune.ts). Tests pass none.
   */
  beforeConverting?(unitCount: number): void;
}

/** A subcommand: its arguments after its own name; resolves to the exit status. */
export type Subcommand = (args: readonly string[], ctx: CommandContext) => number | Promise<number>;
