/**
 * The version of the installed podman, found without running it.
 *
 * Running `podman --version` at every boot costs tens of milliseconds (a Go program's
 * start), and a generator runs before most of the system is up. Instead quadlet asks the
 * package manager's own record, which is plain text on Debian and Ubuntu: when dpkg's list of
 * the `podman` package's files (/var/lib/dpkg/info/podman.list) holds the executable quadlet
 * writes into units, the package's `Version:` in /var/lib/dpkg/status is that podman's. Both
 * reads together take well under a millisecond; where there is no dpkg, the first read fails
 * at once. rpm's database is binary (SQLite or Berkeley DB), too costly to read here; on
 * such hosts, and wherever the version cannot be told, quadlet targets the newest podman
 * (set QUADLET_PODMAN_VERSION or -podman-version instead).
 */
import type { FileSystem } from "../fsys.js";
import { parsePodmanVersion, type PodmanVersion } from "./version.js";

/** Where dpkg keeps its records, under `root` ("" for the host). */
export interface DpkgPaths {
  root: string;
  /** The package that owns podman. */
  packageName: string;
}

const DEFAULT_PATHS: DpkgPaths = { root: "", packageName: "podman" };

/** The version of the podman at `podman`, from dpkg's records; undefined when they do not say. */
export function installedPodmanVersion(fs: FileSystem, podman: string, paths: DpkgPaths = DEFAULT_PATHS): PodmanVersion | undefined {
  const info = `${paths.root}/var/lib/dpkg/info/${paths.packageName}.list`;
  let files: string;
  try {
    files = bytes(fs.readFile(info)).toString("utf8");
  } catch {
    return undefined;
  }
  if (!ownsPath(files, podman) && !ownsPath(files, resolved(fs, podman, paths.root))) return undefined;
  let status: Buffer;
  try {
    status = bytes(fs.readFile(`${paths.root}/var/lib/dpkg/status`));
  } catch {
    return undefined;
  }
  const stanza = packageStanza(status, paths.packageName);
  if (!stanza || !/^Status: install ok installed$/m.test(stanza)) return undefined;
  const version = /^Version: (?:\d+:)?(\S+)$/m.exec(stanza)?.[1];
  return version === undefined ? undefined : parsePodmanVersion(version);
}

function ownsPath(list: string, path: string | undefined): boolean {
  if (!path) return false;
  const at = list.indexOf(`${path}\n`);
  return at !== -1 && (at === 0 || list[at - 1] === "\n");
}

/** `podman` with its symlinks resolved (`/bin/podman` on a merged /usr), relative to `root`. */
function resolved(fs: FileSystem, path: string, root: string): string | undefined {
  try {
    const real = fs.realpath(`${root}${path}`);
    return root && real.startsWith(root) ? real.slice(root.length) : real;
  } catch {
    return undefined;
  }
}

/** The bytes as a Buffer, without copying them. */
function bytes(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * The package's paragraph of dpkg's status file, found by one byte search (a status file
 * of a thousand packages is a megabyte; decoding or splitting it all would cost more).
 */
function packageStanza(status: Buffer, packageName: string): string | undefined {
  const header = Buffer.from(`\nPackage: ${packageName}\n`);
  const first = header.subarray(1);
  let at = status.subarray(0, first.length).equals(first) ? 0 : status.indexOf(header);
  if (at === -1) return undefined;
  if (at > 0) at++;
  const end = status.indexOf(PARAGRAPH_END, at);
  return status.subarray(at, end === -1 ? status.length : end).toString("utf8");
}

const PARAGRAPH_END = Buffer.from("\n\n");
