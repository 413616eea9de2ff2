// The Debian root file systems the end-to-end run boots, and the systemd-nspawn that boots
// them, built from Debian's packages and kept in a cache folder between runs.
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { must, run, say, StepError } from "./sh.mjs";

// What a root file system needs to run quadlet's units: systemd as PID 1, podman and its
// network stack, uidmap for rootless containers, busybox-static for the test image.
export const PACKAGES = [
  "systemd", "systemd-sysv", "libpam-systemd", "dbus", "dbus-user-session", "podman", "crun", "conmon", "netavark",
  "aardvark-dns", "nftables", "catatonit", "passt", "uidmap", "busybox-static",
];
// bookworm's netavark (1.4) sets up container networks with iptables, trixie's with nftables.
// bookworm runs its containers with runc (see the runtime in prepare.mjs), and its rootless
// podman (4.3.1) networks with slirp4netns, which it only recommends; trixie's uses passt.
const EXTRA_PACKAGES = { trixie: [], bookworm: ["iptables", "runc", "slirp4netns"] };
export const RELEASES = Object.keys(EXTRA_PACKAGES);
const packagesFor = (release) => [...PACKAGES, ...EXTRA_PACKAGES[release]];
// Bumped when the way a root file system is made changes, so older caches are not reused.
const RECIPE = 1;

/** Installs what the run needs on the host when missing (debootstrap, gcc for the notify helper). */
export function ensureHostTools() {
  const need = [
    ["debootstrap", "debootstrap"],
    ["gcc", "gcc"],
    ["unshare", "util-linux"],
    ["nsenter", "util-linux"],
  ].filter(([cmd]) => run("sh", ["-c", `command -v ${cmd}`]).status !== 0);
  const libc = "/usr/lib/x86_64-linux-gnu/libc.a";
  const packages = [...new Set(need.map(([, pkg]) => pkg).concat(existsSync(libc) ? [] : ["libc6-dev"]))];
  if (!packages.length) return;
  say(`installing on the host: ${packages.join(" ")}`);
  must("apt-get", ["update", "-q"]);
  must("apt-get", ["install", "-y", "-q", "--no-install-recommends", ...packages], {
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
}

/** The Debian mirror the host's apt already uses (not its security mirror). */
export function hostMirror() {
  const files = [];
  for (const dir of ["/etc/apt/sources.list.d"]) {
    if (existsSync(dir)) files.push(...readdirSync(dir).map((f) => join(dir, f)));
  }
  files.push("/etc/apt/sources.list");
  for (const file of files) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, "utf8");
    const urls = [...text.matchAll(/(?:^URIs:\s*|^deb\s+(?:\[[^\]]*\]\s+)?)(\S+)/gm)].map((m) => m[1]);
    const mirror = urls.find((u) => /\/debian\/?$/.test(u));
    if (mirror) return mirror.replace(/\/$/, "");
  }
  return "http://deb.debian.org/debian";
}

/** Runs `script` with sh in a private mount namespace: mounts made there vanish with it. */
export function inPrivateMounts(script, opts = {}) {
  return must("unshare", ["--mount", "--propagation", "private", "sh", "-ec", script], opts);
}

/**
 * The host release's systemd-nspawn, unpacked (not installed) from its packages:
 * returns { nspawn, libdir }.
 */
export function nspawnTools(cacheDir) {
  const codename = /VERSION_CODENAME=(\w+)/.exec(readFileSync("/etc/os-release", "utf8"))?.[1] ?? "host";
  const dir = join(cacheDir, `nspawn-${codename}`);
  const tools = { nspawn: join(dir, "usr/bin/systemd-nspawn"), libdir: join(dir, "usr/lib/x86_64-linux-gnu/systemd") };
  if (existsSync(tools.nspawn)) return tools;
  say("fetching systemd-nspawn from the host release's packages");
  const tmp = mkdtempSync(join(cacheDir, ".nspawn-"));
  try {
    chmodSync(tmp, 0o755); // apt's download user must be able to write there
    const download = () => run("apt-get", ["download", "-q", "systemd", "systemd-container"], { cwd: tmp });
    // a fresh machine may have no package lists yet
    if (download().status !== 0) {
      must("apt-get", ["update", "-q"]);
      const r = download();
      if (r.status !== 0) throw new StepError(`apt-get download systemd systemd-container failed:\n${r.stderr}`);
    }
    const unpacked = join(tmp, "root");
    for (const deb of readdirSync(tmp).filter((f) => f.endsWith(".deb"))) must("dpkg", ["-x", join(tmp, deb), unpacked]);
    rmSync(dir, { recursive: true, force: true });
    renameSync(unpacked, dir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return tools;
}

function cacheKey(release, mirror) {
  return createHash("sha256")
    .update(JSON.stringify({ RECIPE, release, mirror, PACKAGES: packagesFor(release) }))
    .digest("hex")
    .slice(0, 16);
}

/** Debootstraps `release` with PACKAGES into `root` (which must not exist yet). */
function debootstrap(release, mirror, root) {
  say(`debootstrap ${release} from ${mirror} (a few minutes)`);
  const packages = packagesFor(release);
  const include = packages.join(",");
  const r = run("unshare", ["--mount", "--propagation", "private",
    "debootstrap", "--variant=minbase", `--include=${include}`, release, root, mirror]);
  if (r.status !== 0) {
    // bookworm: golang-github-containers-common depends on a virtual package debootstrap
    // cannot resolve (container-network-stack); apt can, from the half-made system.
    if (!existsSync(join(root, "usr/bin/apt-get"))) throw new StepError(`debootstrap failed:\n${r.stdout}${r.stderr}`.slice(-3000));
    say(`debootstrap stopped (${r.stdout.trim().split("\n").pop()}); repairing with apt-get -f install`);
    inPrivateMounts(
      `mount -t proc proc ${root}/proc
       chroot ${root} env DEBIAN_FRONTEND=noninteractive apt-get -f install -y -q
       chroot ${root} env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ${packages.join(" ")}`,
    );
  }
  must("chroot", [root, "apt-get", "clean"]);
}

/**
 * Path of a tarball of `release`'s root file system: the cached one when its recipe matches and
 * `fresh` is not set, else a newly built one, written to the cache for later runs.
 */
export function rootfsTarball({ release, cacheDir, workDir, fresh }) {
  const mirror = hostMirror();
  const key = cacheKey(release, mirror);
  const tarball = join(cacheDir, `${release}.tar`);
  const keyFile = join(cacheDir, `${release}.key`);
  if (!fresh && existsSync(tarball) && existsSync(keyFile) && readFileSync(keyFile, "utf8").trim() === key) {
    say(`reusing ${tarball}`);
    return tarball;
  }
  const root = join(workDir, `${release}-build`);
  debootstrap(release, mirror, root);
  const tmp = `${tarball}.tmp-${process.pid}`;
  try {
    must("tar", ["--numeric-owner", "--xattrs", "--xattrs-include=*", "-C", root, "-cf", tmp, "."]);
    rmSync(keyFile, { force: true });
    renameSync(tmp, tarball);
    writeFileSync(keyFile, key + "\n");
  } finally {
    rmSync(tmp, { force: true });
    rmSync(root, { recursive: true, force: true });
  }
  say(`cached ${tarball}`);
  return tarball;
}

/** Unpacks a root file system tarball into `root`. */
export function unpack(tarball, root) {
  mkdirSync(root, { recursive: true });
  must("tar", ["--numeric-owner", "--xattrs", "--xattrs-include=*", "-C", root, "-xpf", tarball]);
}
