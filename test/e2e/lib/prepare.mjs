// Turns an unpacked Debian root file system into the machine under test: quadlet installed
// as its generator (podman's own generator made inactive), the host limits worked around,
// a lingering rootless user, and a busybox image tarball to import without a registry.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { must } from "./sh.mjs";

export const USER = { name: "e2e", uid: 1000 };
export const IMAGE_TARBALL = "/var/lib/quadlet-e2e/busybox.tar";
// Where the machine finds the files its checks give to `quadlet install` and `quadlet convert`.
export const FIXTURES = "/var/lib/quadlet-e2e/fixtures";
// The packaged executable, where `npm run install-generator -- --prefix /usr` puts it.
export const QUADLET = "/usr/libexec/quadlet/quadlet";
const E2E_DIR = dirname(dirname(new URL(import.meta.url).pathname));
const UNITS = join(E2E_DIR, "units");
const IMAGE = join(E2E_DIR, "image");

/** Moves podman's generators out of systemd's generator folders (a dpkg diversion, as an admin would). */
function disablePodmanGenerators(root) {
  for (const kind of ["system", "user"]) {
    const path = `/usr/lib/systemd/${kind}-generators/podman-${kind}-generator`;
    if (!existsSync(join(root, path))) continue;
    must("chroot", [root, "dpkg-divert", "--local", "--rename", "--divert", `/usr/libexec/podman/podman-${kind}-generator.disabled`, "--add", path]);
  }
}

function installQuadlet(root, repo) {
  must("npm", ["run", "-s", "install-generator", "--", "--prefix", "/usr", "--destdir", root], { cwd: repo });
}

function write(root, path, text, mode = 0o644) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text, { mode });
}

/** The host's hard limit of `resource` (a line of /proc/self/limits, such as "Max open files"). */
function hardLimit(resource) {
  const line = readFileSync("/proc/self/limits", "utf8").split("\n").find((l) => l.startsWith(resource));
  const hard = line?.slice(resource.length).trim().split(/\s+/)[1];
  return hard === "unlimited" ? "-1" : hard;
}

/**
 * containers.conf for the machine. The host keeps pids and memory in cgroup v1, so the
 * container's cgroup2 tree has no pids controller: no pids limit.
 *
 * bookworm (podman 4.3.1) needs two more workarounds, both because this host withholds
 * CAP_SYS_RESOURCE, so no resource limit can be raised above the host's (8 MiB of locked
 * memory, 20000 open files here), neither by nspawn's --rlimit= nor by LimitMEMLOCK= inside:
 * - bookworm's crun (1.8.1) raises RLIMIT_MEMLOCK to infinity before it loads the device
 *   filter of every container (an eBPF program) and fails when it cannot: `setrlimit
 *   (RLIM_MEMLOCK): Operation not permitted`. Later crun releases go on (the kernel has
 *   accounted eBPF memory to the cgroup since 5.11). runc, also Debian 12's, does not ask.
 * - podman 4.3.1 asks for 1048576 open files and processes in root's containers; the host's
 *   hard limits are the most a container can have, so they are made the defaults.
 */
function containersConf(release) {
  const lines = ["[containers]", "pids_limit = 0"];
  if (release === "bookworm") {
    lines.push(`default_ulimits = ["nofile=${hardLimit("Max open files")}:${hardLimit("Max open files")}", "nproc=${hardLimit("Max processes")}:${hardLimit("Max processes")}"]`);
    lines.push("[engine]", 'runtime = "runc"');
  }
  return lines.join("\n") + "\n";
}

function configure(root, release) {
  write(root, "/etc/containers/containers.conf.d/e2e.conf", containersConf(release));
  // Generators log to /dev/kmsg (bound from the host); journald reads it only when told to.
  write(root, "/etc/systemd/journald.conf.d/e2e.conf", "[Journal]\nReadKMsg=yes\n");
  // nspawn makes the container its own /dev/net/tun with the host's mode (0600 here): rootless
  // networking (pasta) needs it open to all, as on a normal system.
  write(root, "/etc/tmpfiles.d/e2e-tun.conf", "z /dev/net/tun 0666 root root -\n");
  write(root, "/etc/hostname", "quadlet-e2e\n");
  must("chroot", [root, "useradd", "--create-home", "--uid", String(USER.uid), "--shell", "/bin/sh", USER.name]);
  write(root, "/etc/subuid", `${USER.name}:100000:65536\n`);
  write(root, "/etc/subgid", `${USER.name}:100000:65536\n`);
  // What `loginctl enable-linger` writes: the user's manager starts at boot.
  write(root, `/var/lib/systemd/linger/${USER.name}`, "");
}

/** A tiny image: busybox-static with its applets, and the sd-notify helper, as a tarball. */
function makeImage(root, work) {
  const dir = join(work, "image");
  mkdirSync(join(dir, "bin"), { recursive: true });
  for (const d of ["tmp", "etc", "proc", "sys", "dev", "run", "www"]) mkdirSync(join(dir, d), { recursive: true });
  cpSync(join(root, "usr/bin/busybox"), join(dir, "bin/busybox"));
  const applets = must(join(dir, "bin/busybox"), ["--list"]).split("\n").filter((a) => a && a !== "busybox");
  for (const applet of applets) symlinkSync("busybox", join(dir, "bin", applet));
  for (const script of readdirSync(IMAGE)) {
    if (script.startsWith("e2e-")) cpSync(join(IMAGE, script), join(dir, "bin", script));
  }
  must("gcc", ["-static", "-Os", "-o", join(dir, "bin/sd-notify"), join(IMAGE, "sd-notify.c")]);
  writeFileSync(join(dir, "etc/passwd"), "root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n");
  writeFileSync(join(dir, "etc/group"), "root:x:0:\nnogroup:x:65534:\n");
  mkdirSync(join(root, dirname(IMAGE_TARBALL)), { recursive: true });
  must("tar", ["--numeric-owner", "--owner=0", "--group=0", "-C", dir, "-cf", join(root, IMAGE_TARBALL), "."]);
}

/** Prepares the machine before its first boot. */
export function prepare({ root, work, repo, release }) {
  disablePodmanGenerators(root);
  installQuadlet(root, repo);
  configure(root, release);
  makeImage(root, work);
}

/**
 * Places the unit fixtures while the machine is off: the system's, the Containerfile, the
 * user's, and the sources the checks install and convert in the machine.
 */
export function installUnits(root) {
  cpSync(join(UNITS, "system"), join(root, "etc/containers/systemd"), { recursive: true });
  for (const dir of ["manage", "compose"]) cpSync(join(UNITS, dir), join(root, FIXTURES, dir), { recursive: true });
  cpSync(join(UNITS, "tool"), join(root, "etc/containers/e2e-tool"), { recursive: true });
  const config = `home/${USER.name}/.config`;
  cpSync(join(UNITS, "user"), join(root, config, "containers/systemd"), { recursive: true });
  must("chown", ["-R", `${USER.uid}:${USER.uid}`, join(root, config)]);
}

/** The text of a fixture under units/ (e.g. "later/later.container"). */
export function fixture(path) {
  return readFileSync(join(UNITS, path), "utf8");
}
