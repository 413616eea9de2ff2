// Finds podman's own quadlet generator (written in Go), which the bench times beside ours.
// In order: the path given with --reference; a copy unpacked earlier into the cache
// directory; podman's installed generator (/usr/libexec/podman/quadlet); otherwise, when
// fetching is allowed, Debian 13's (trixie) podman package, downloaded with apt-get and
// unpacked with dpkg-deb into the cache directory. The machine's own apt configuration is
// not touched: a private source list names the trixie suite of the mirror the machine
// already uses. Nothing here ever fails the bench: without a reference, the Go column is
// left out and the reason is printed.
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const INSTALLED = "/usr/libexec/podman/quadlet";
const IN_PACKAGE = join("root", "usr", "libexec", "podman", "quadlet");
const KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg";

/** Whether this process may use `path` as `mode` (an access(2) mode: constants.X_OK, W_OK, …) asks. */
export function hasAccess(path, mode) {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}

/** Whether `path` is a file this process may run. */
export function isExecutable(path) {
  return hasAccess(path, constants.X_OK);
}

/** What `quadlet -version` prints, e.g. "5.4.2", or "unknown". */
function versionOf(path) {
  const r = spawnSync(path, ["-version"], { encoding: "utf8", timeout: 10_000 });
  return (r.stdout ?? "").trim().split("\n")[0] || "unknown";
}

/** The first Debian mirror named in the machine's apt sources, deb822 or one-line style. */
function aptMirror() {
  const texts = [];
  const dir = "/etc/apt/sources.list.d";
  if (existsSync(dir)) for (const name of readdirSync(dir).sort()) if (name.endsWith(".sources") || name.endsWith(".list")) texts.push(readFileSync(join(dir, name), "utf8"));
  if (existsSync("/etc/apt/sources.list")) texts.push(readFileSync("/etc/apt/sources.list", "utf8"));
  for (const text of texts) {
    const uri = /^URIs:\s*(\S+)/m.exec(text) ?? /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)/m.exec(text);
    if (uri) return uri[1];
  }
  return undefined;
}

/** Downloads and unpacks trixie's podman into `cache`; returns the generator's path or a reason. */
function fetchFromDebian(cache) {
  for (const tool of ["apt-get", "dpkg-deb"]) {
    if (spawnSync(tool, ["--version"], { stdio: "ignore" }).status !== 0) return { reason: `${tool} is not installed` };
  }
  const mirror = aptMirror();
  if (!mirror) return { reason: "no Debian mirror found in the apt sources" };
  rmSync(cache, { recursive: true, force: true });
  for (const d of ["lists/partial", "archives/partial", "root"]) mkdirSync(join(cache, d), { recursive: true });
  const signedBy = existsSync(KEYRING) ? `[signed-by=${KEYRING}] ` : "";
  writeFileSync(join(cache, "sources.list"), `deb ${signedBy}${mirror} trixie main\n`);
  const apt = [
    "-o", `Dir::Etc::sourcelist=${join(cache, "sources.list")}`,
    "-o", "Dir::Etc::sourceparts=-",
    "-o", `Dir::State::Lists=${join(cache, "lists")}`,
    "-o", `Dir::Cache=${cache}`,
    "-o", `Dir::Cache::archives=${join(cache, "archives")}`,
  ];
  const steps = [["apt-get", [...apt, "update"]], ["apt-get", [...apt, "download", "podman"]]];
  for (const [cmd, args] of steps) {
    const r = spawnSync(cmd, args, { cwd: cache, encoding: "utf8", timeout: 300_000 });
    if (r.status !== 0) return { reason: `${cmd} ${args.at(-1)} failed: ${(r.stderr || String(r.error ?? "")).trim().split("\n").pop()}` };
  }
  const deb = readdirSync(cache).find((n) => /^podman_.*\.deb$/.test(n));
  if (!deb) return { reason: "apt-get download left no podman package" };
  const x = spawnSync("dpkg-deb", ["-x", deb, "root"], { cwd: cache, encoding: "utf8" });
  const bin = join(cache, IN_PACKAGE);
  if (x.status !== 0 || !isExecutable(bin)) return { reason: `dpkg-deb -x ${deb} failed: ${(x.stderr ?? "").trim()}` };
  return { path: bin };
}

/**
 * The Go quadlet to time: `{ path, version, source }`, or `{ reason }` saying why there is none.
 * `given` is --reference PATH ("none" for no reference); `fetch` allows the download.
 */
export function findGoQuadlet({ given, cache, fetch }) {
  if (given === "none") return { reason: "left out (--reference none)" };
  const found = (path, source) => ({ path, version: versionOf(path), source });
  if (given !== undefined) return isExecutable(given) ? found(given, "--reference") : { reason: `--reference ${given} is not an executable` };
  const cached = join(cache, IN_PACKAGE);
  if (isExecutable(cached)) return found(cached, `Debian trixie package, unpacked in ${cache}`);
  if (isExecutable(INSTALLED)) return found(INSTALLED, "installed podman");
  if (!fetch) return { reason: "none found, and fetching was turned off (--no-fetch)" };
  process.stderr.write(`bench: fetching podman's quadlet from Debian trixie into ${cache} ...\n`);
  const fetched = fetchFromDebian(cache);
  return fetched.path ? found(fetched.path, `Debian trixie package, unpacked in ${cache}`) : fetched;
}
