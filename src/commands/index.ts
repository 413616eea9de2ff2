/**
 * The subcommands, each loaded only when it is the first argument, so that the generator's
 * boot path (`quadlet [-flags] normal-dir …`) never pays for them.
 *
 * Each entry requires its module inside the function: the bundler then initialises that
 * module only when the entry is called.
 */
import type { Subcommand } from "./context.js";

const SUBCOMMANDS: Readonly<Record<string, () => Subcommand>> = {
  // name: () => (require("./name.js") as typeof import("./name.js")).run,
  convert: () => (require("./convert.js") as typeof import("./convert.js")).run,
  install: () => (require("./install.js") as typeof import("./install.js")).run,
  list: () => (require("./list.js") as typeof import("./list.js")).run,
  ls: () => (require("./list.js") as typeof import("./list.js")).run,
  print: () => (require("./print.js") as typeof import("./print.js")).run,
  cat: () => (require("./print.js") as typeof import("./print.js")).run,
  rm: () => (require("./rm.js") as typeof import("./rm.js")).run,
  verify: () => (require("./verify.js") as typeof import("./verify.js")).run,
  explain: () => (require("./explain.js") as typeof import("./explain.js")).run,
  graph: () => (require("./graph.js") as typeof import("./graph.js")).run,
};

/** The subcommand named `name`, or undefined when it is not one (then it is the generator's argument). */
export function subcommandNamed(name: string | undefined): Subcommand | undefined {
  if (name === undefined || !Object.hasOwn(SUBCOMMANDS, name)) return undefined;
  return SUBCOMMANDS[name]!();
}

export function subcommandNames(): string[] {
  return Object.keys(SUBCOMMANDS).sort();
}
