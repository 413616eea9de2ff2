/**
 * What `quadlet rm` removes: a unit with its own drop-in directory, or an application (a
 * subdirectory of the install directory) with everything in it; never a path outside the
 * install directory, and never through a symbolic link.
 */
import type { FileSystem } from "../fsys.js";
import { unitExtensionOf } from "../parser/discover.js";
import { isInside, type Scope } from "./dirs.js";
import { capable } from "./fsops.js";
import { hiddenUnit, type Inventory, type InstalledUnit } from "./inventory.js";

/** One thing to remove. */
export interface Removal {
  /** What the user named: `web.container`, or the application `myapp`. */
  readonly name: string;
  /** The units it takes away (an application's, or the one unit). */
  readonly units: readonly InstalledUnit[];
  /** Paths to remove, each a file or a directory removed with what is in it. */
  readonly paths: readonly string[];
}

export interface RemovalPlan {
  readonly removals: Removal[];
  readonly errors: string[];
}

export interface RemoveOptions {
  readonly all: boolean;
  readonly ignore: boolean;
  readonly recursive: boolean;
}

/** The applications: the real subdirectories of the install directory (drop-in directories aside). */
export function applicationsIn(fs: FileSystem, installDir: string): string[] {
  const ops = capable(fs, "lstat");
  let names: string[];
  try {
    names = fs.readdir(installDir);
  } catch {
    return [];
  }
  return names.filter((n) => !n.endsWith(".d") && !n.startsWith(".") && ops.lstat(`${installDir}/${n}`) === "dir").sort();
}

/** Works out what removing `names` (or everything, with `all`) means, and what is refused. */
export function planRemoval(fs: FileSystem, scope: Scope, inventory: Inventory, names: readonly string[], opts: RemoveOptions): RemovalPlan {
  const dir = scope.installDir;
  const installed = inventory.units.filter((u) => isInside(u.path, dir));
  const apps = applicationsIn(fs, dir);
  const plan: RemovalPlan = { removals: [], errors: [] };
  const planned = new Set<string>();
  const addApp = (app: string, named: string): void => {
    if (planned.has(`app:${app}`)) return;
    if (!opts.recursive) {
      const what = named === app ? `${app} is an application` : `${named} belongs to the application ${app}, and removing it removes the whole application`;
      plan.errors.push(`${what}; add --recursive to remove ${app} and everything in it`);
      return;
    }
    planned.add(`app:${app}`);
    plan.removals.push({ name: app, units: installed.filter((u) => u.app === app), paths: [`${dir}/${app}`] });
  };
  const addUnit = (u: InstalledUnit): void => {
    if (u.app) return addApp(u.app, u.name);
    if (planned.has(u.path)) return;
    planned.add(u.path);
    const own = `${u.path}.d`;
    const paths = capable(fs, "lstat").lstat(own) === "dir" ? [u.path, own] : [u.path];
    plan.removals.push({ name: u.name, units: [u], paths });
  };

  if (opts.all) {
    for (const u of installed) if (!u.app) addUnit(u);
    for (const app of apps) addApp(app, app);
    return plan;
  }
  for (const name of names) {
    if (unitExtensionOf(name) && !name.includes("/")) {
      const u = installed.find((x) => x.name === name) ?? hiddenInstalled(fs, scope, apps, name);
      if (u) {
        addUnit(u);
        continue;
      }
      const elsewhere = inventory.units.find((x) => x.name === name);
      if (elsewhere) {
        plan.errors.push(`${name} is in ${elsewhere.path.slice(0, elsewhere.path.lastIndexOf("/"))}, outside the install directory ${dir}; quadlet rm removes only what is installed there`);
        continue;
      }
    } else if (apps.includes(name)) {
      addApp(name, name);
      continue;
    }
    if (!opts.ignore) plan.errors.push(`no quadlet or application named ${name} is installed in ${dir}`);
  }
  return plan;
}

/** `name` in the install directory (or one of its applications) when discovery saw another file of that name first. */
function hiddenInstalled(fs: FileSystem, scope: Scope, apps: readonly string[], name: string): InstalledUnit | undefined {
  const ops = capable(fs, "lstat");
  for (const dir of [scope.installDir, ...apps.map((a) => `${scope.installDir}/${a}`)]) {
    if (ops.lstat(`${dir}/${name}`) === "file") return hiddenUnit(fs, scope, `${dir}/${name}`);
  }
  return undefined;
}

/** Removes `path` (a file, a link, or a directory with all in it) without following links; returns the files removed. */
export function removeTree(fs: FileSystem, installDir: string, path: string): void {
  if (!isInside(path, installDir) || path === installDir) throw new Error(`refusing to remove ${path}: it is not inside ${installDir}`);
  const ops = capable(fs, "lstat", "unlink", "rmdir");
  const kind = ops.lstat(path);
  if (kind === undefined) return;
  if (kind === "dir") {
    for (const name of fs.readdir(path)) removeTree(fs, installDir, `${path}/${name}`);
    ops.rmdir(path);
  } else {
    ops.unlink(path);
  }
}
