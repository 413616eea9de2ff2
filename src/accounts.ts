/**
 * Host accounts from /etc/passwd and /etc/group, read through the {@link FileSystem}
 * only when a unit asks for a name (most boots never do).
 */
import type { FileSystem } from "./fsys.js";
import type { AccountLookup } from "./generator/unit-type.js";

/** Parses `name:x:id:…` lines into a name → id map. */
export function parseIdFile(text: string): Map<string, number> {
  const ids = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const [name, , id] = line.split(":");
    if (name && id !== undefined && /^\d+$/.test(id)) ids.set(name, Number(id));
  }
  return ids;
}

/** Account lookups over `/etc/passwd` and `/etc/group` of `fs`, each file read at most once. */
export function hostAccounts(fs: FileSystem, root = ""): AccountLookup {
  let users: Map<string, number> | undefined;
  let groups: Map<string, number> | undefined;
  const load = (path: string): Map<string, number> => {
    try {
      return parseIdFile(new TextDecoder().decode(fs.readFile(root + path)));
    } catch {
      return new Map();
    }
  };
  return {
    uid: (name) => (users ??= load("/etc/passwd")).get(name),
    gid: (name) => (groups ??= load("/etc/group")).get(name),
  };
}
