/**
 * Where the managing subcommands install, look and remove: the install directory of the
 * mode (root or user), the directories the generator of that mode reads, and the checks that
 * keep every write and removal inside the install directory.
 */
import type { CommandContext } from "../commands/context.js";
import { errorCode, type FileSystem } from "../fsys.js";
import { normalizePath } from "../parser/names.js";
import type { SearchContext } from "../parser/discover.js";
import { UsageError } from "./args.js";

/** Where root installs: the administrator's quadlet directory. */
export const ROOT_INSTALL_DIR = "/etc/containers/systemd";

/** The directory whose presence tells that systemd is running (what sd_booted(3) checks). */
export const SYSTEMD_RUN_DIR = "/run/systemd/system";

/** Which manager and directories a command works with. */
export interface Scope {
  /** User units (`-user`, or any uid but 0). */
  readonly user: boolean;
  /** The install directory, absolute and normalised, symlinks resolved where it exists. */
  readonly installDir: string;
  /** How discovery finds every unit the generator of this mode reads. */
  readonly search: SearchContext;
}

/**
 * The scope of a command. `QUADLET_INSTALL_DIR` replaces the install directory; then, unless
 * `QUADLET_UNIT_DIRS` says otherwise, it is also the only directory read, so that a staged
 * tree is managed on its own.
 */
export function scopeOf(ctx: CommandContext, userFlag: boolean): Scope {
  const user = userFlag || ctx.uid !== 0;
  const override = ctx.env.QUADLET_INSTALL_DIR;
  let dir: string;
  if (override) {
    if (!override.startsWith("/")) throw new UsageError(`QUADLET_INSTALL_DIR must be an absolute path, not "${override}"`);
    dir = override;
  } else if (user) {
    const config = ctx.env.XDG_CONFIG_HOME || (ctx.env.HOME ? `${ctx.env.HOME}/.config` : undefined);
    if (!config) throw new UsageError("neither $XDG_CONFIG_HOME nor $HOME is set, so there is no user directory to use");
    dir = `${config}/containers/systemd`;
  } else {
    dir = ROOT_INSTALL_DIR;
  }
  const installDir = resolveExisting(ctx.fs, normalizePath(dir));
  const env = override && !ctx.env.QUADLET_UNIT_DIRS ? { ...ctx.env, QUADLET_UNIT_DIRS: installDir } : ctx.env;
  return { user, installDir, search: { userMode: user, env, uid: ctx.uid } };
}

/** `path` with its symlinks resolved as far as it exists; the rest appended as written. */
export function resolveExisting(fs: FileSystem, path: string): string {
  const rest: string[] = [];
  let head = path;
  for (;;) {
    try {
      const real = fs.realpath(head);
      return rest.length ? normalizePath(`${real}/${rest.reverse().join("/")}`) : real;
    } catch (err) {
      const code = errorCode(err);
      if (code !== "ENOENT" && code !== "ENOTDIR") throw err;
    }
    if (head === "/") return path;
    const slash = head.lastIndexOf("/");
    rest.push(head.slice(slash + 1));
    head = slash <= 0 ? "/" : head.slice(0, slash);
  }
}

/** Whether `path` is `dir` or below it (both normalised). */
export function isInside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir === "/" ? "/" : dir + "/");
}

/**
 * Why `rel` (a relative path to write under the install directory) is refused, or undefined
 * when it is fine: it must be relative, stay below the directory once `..` is applied, and
 * not reach outside it through a symlink that is already there.
 */
export function escapeProblem(fs: FileSystem, installDir: string, rel: string): string | undefined {
  if (rel.startsWith("/")) return `"${rel}" is an absolute path; only names inside the install directory are accepted`;
  if (rel.split("/").some((part) => part === ".." || part === "." || part === "")) {
    return `"${rel}" would leave the install directory ${installDir} (a name cannot hold "..", "." or an empty part)`;
  }
  const target = `${installDir}/${rel}`;
  const parent = target.slice(0, target.lastIndexOf("/"));
  const realParent = resolveExisting(fs, parent);
  if (!isInside(realParent, installDir)) {
    return `"${rel}" would be written through a symbolic link to ${realParent}, outside the install directory ${installDir}`;
  }
  return undefined;
}

/** Whether systemd runs here; `QUADLET_SYSTEMD_RUN_DIR` names another directory to check. */
export function systemdIsRunning(ctx: CommandContext): boolean {
  return ctx.fs.isDirectory(ctx.env.QUADLET_SYSTEMD_RUN_DIR || SYSTEMD_RUN_DIR);
}
