// Boots a root file system with systemd as PID 1 under systemd-nspawn, and runs commands in it.
//
// nspawn runs inside `unshare --mount` with a tmpfs over /run (so nothing lands in the host's
// /run), in a cgroup2 group of its own (so everything it starts can be killed and the group
// removed). Commands enter the machine with nsenter from a leaf of that group.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync, closeSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run, sleep, StepError, waitFor } from "./sh.mjs";

const PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** The cgroup2 hierarchy: /sys/fs/cgroup itself, or its `unified` folder on hybrid hosts. */
function cgroup2Root() {
  const mounts = readFileSync("/proc/self/mounts", "utf8").split("\n").map((l) => l.split(" "));
  const v2 = mounts.find((m) => m[2] === "cgroup2");
  if (!v2) throw new StepError("no cgroup2 hierarchy is mounted on this host");
  return v2[1];
}

/** Every cgroup folder under `dir`, deepest first. */
function cgroupTree(dir) {
  if (!existsSync(dir)) return [];
  const below = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).flatMap((e) => cgroupTree(join(dir, e.name)));
  return [...below, dir];
}

const procsIn = (dir) => cgroupTree(dir).flatMap((d) => {
  try {
    return readFileSync(join(d, "cgroup.procs"), "utf8").split("\n").filter(Boolean);
  } catch {
    return [];
  }
});

export class Machine {
  constructor({ root, nspawn, libdir, logFile }) {
    this.root = root;
    this.nspawn = nspawn;
    this.libdir = libdir;
    this.logFile = logFile;
    this.cgroup = join(cgroup2Root(), `quadlet-e2e-${process.pid}`);
    this.pid = undefined;
  }

  /** Starts the machine and waits until systemd reports it up (running or degraded). */
  boot() {
    mkdirSync(join(this.cgroup, "exec"), { recursive: true });
    const nspawn = [
      `SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1`, `SYSTEMD_SECCOMP=0`, `LD_LIBRARY_PATH=${this.libdir}`,
      this.nspawn, "-D", this.root, "-b", "--register=no", "--keep-unit", "--private-network",
      "--console=passive", "--bind=/dev/kmsg", "--capability=CAP_SYSLOG", "--machine=quadlet-e2e",
    ].join(" ");
    const script = `echo $$ > ${this.cgroup}/cgroup.procs && exec unshare --mount --propagation private sh -c 'mount -t tmpfs -o mode=755 tmpfs /run && exec env ${nspawn}'`;
    const log = openSync(this.logFile, "a");
    const child = spawn("sh", ["-c", script], { stdio: ["ignore", log, log], detached: true });
    child.unref();
    closeSync(log);
    this.pid = waitFor(() => this.findInit(), 30_000);
    if (!this.pid) throw new StepError(`systemd did not start in the container; see ${this.logFile}`);
    const state = waitFor(() => {
      const s = this.exec(["systemctl", "is-system-running"]).stdout.trim();
      return ["running", "degraded"].includes(s) ? s : undefined;
    }, 90_000, 500);
    if (!state) throw new StepError(`the machine did not finish booting: ${this.exec(["systemctl", "is-system-running"]).stdout.trim()}`);
    return state;
  }

  /** The host PID of the container's systemd, once it has started. */
  findInit() {
    for (const dir of ["payload/init.scope", "payload"]) {
      const file = join(this.cgroup, dir, "cgroup.procs");
      if (!existsSync(file)) continue;
      for (const pid of readFileSync(file, "utf8").split("\n").filter(Boolean)) {
        try {
          if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "systemd") return Number(pid);
        } catch {
          // exited meanwhile
        }
      }
    }
    return undefined;
  }

  /** Runs argv in the machine as root, with a clean environment. */
  exec(argv, opts = {}) {
    if (!this.pid) throw new StepError("the machine is not running");
    const env = ["env", "-i", `PATH=${PATH}`, "LANG=C.UTF-8", "SYSTEMD_PAGER=", "SYSTEMD_COLORS=0", ...(opts.env ?? [])];
    return run("sh", ["-c", `echo $$ > ${this.cgroup}/exec/cgroup.procs && exec nsenter -t ${this.pid} -a "$@"`, "sh", ...env, ...argv], {
      timeoutMs: opts.timeoutMs ?? 120_000,
      input: opts.input,
    });
  }

  /** Runs a shell script in the machine as root; returns { status, stdout, stderr }. */
  sh(script, opts = {}) {
    return this.exec(["sh", "-c", script], opts);
  }

  /** Runs a shell script in the machine as `user`, in that user's session environment. */
  userSh(user, script, opts = {}) {
    const env = [`HOME=/home/${user.name}`, `USER=${user.name}`, `XDG_RUNTIME_DIR=/run/user/${user.uid}`,
      `DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/${user.uid}/bus`];
    return this.exec(["setpriv", `--reuid=${user.uid}`, `--regid=${user.uid}`, "--init-groups", "--", "env", ...env, "sh", "-c", `cd && ${script}`], opts);
  }

  /** Powers the machine off cleanly, then makes sure nothing of it is left. */
  poweroff() {
    if (this.pid) this.exec(["systemctl", "poweroff"], { timeoutMs: 10_000 });
    const gone = waitFor(() => procsIn(this.cgroup).length === 0, 30_000);
    this.pid = undefined;
    this.destroy();
    return gone;
  }

  /** Kills whatever still runs in the machine's cgroup and removes the cgroup. Idempotent, synchronous. */
  destroy() {
    this.pid = undefined;
    if (!existsSync(this.cgroup)) return;
    for (let attempt = 0; attempt < 50 && procsIn(this.cgroup).length; attempt++) {
      try {
        writeFileSync(join(this.cgroup, "cgroup.kill"), "1");
      } catch {
        for (const pid of procsIn(this.cgroup)) run("kill", ["-9", pid]);
      }
      sleep(100);
    }
    for (const dir of cgroupTree(this.cgroup)) {
      try {
        rmdirSync(dir);
      } catch {
        // still busy: reported by the caller's leftover check
      }
    }
  }
}
