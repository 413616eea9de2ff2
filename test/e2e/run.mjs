// End-to-end run: boots Debian with systemd as PID 1 and podman inside, with quadlet as its
// generator, and checks what systemd and podman report for a realistic stack. Root only.
//
//   npm run e2e [-- --release trixie|bookworm] [--cache DIR] [--fresh]
//
// --release   the Debian release to boot (default trixie: systemd 257, podman 5.4.2;
//             bookworm: systemd 252, podman 4.3.1)
// --cache     where the debootstrapped root file systems and systemd-nspawn are kept between
//             runs (default $QUADLET_E2E_CACHE, else /var/cache/quadlet-e2e)
// --fresh     debootstrap again even when the cache holds a root file system
//
// Prints one `ok - …` or `FAIL - … : detail` line per check (`skip - … : reason` for one that
// cannot run on the release's podman), then `e2e: N passed, M failed[, K skipped]`;
// exits 1 when a check failed. Leaves nothing behind but the cache.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { checkPlan } from "./checks/index.mjs";
import { CheckFailed, Skipped } from "./checks/util.mjs";
import { Machine } from "./lib/machine.mjs";
import { IMAGE_TARBALL, installUnits, prepare, USER } from "./lib/prepare.mjs";
import { ensureHostTools, nspawnTools, RELEASES, rootfsTarball, unpack } from "./lib/rootfs.mjs";
import { must, say, StepError, waitFor } from "./lib/sh.mjs";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const started = Date.now();
const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;

function options() {
  const { values } = parseArgs({
    options: {
      release: { type: "string", default: "trixie" },
      cache: { type: "string", default: process.env.QUADLET_E2E_CACHE || "/var/cache/quadlet-e2e" },
      fresh: { type: "boolean", default: false },
    },
  });
  if (!RELEASES.includes(values.release)) throw new StepError(`--release must be one of ${RELEASES.join(", ")}, not "${values.release}"`);
  return { ...values, cache: resolve(values.cache) };
}

/** What the host looks like where the run must leave no trace. */
function hostState(cgroupPath) {
  return {
    // what nspawn, systemd or podman would leave in the host's /run without the private tmpfs
    run: ["/run", "/run/systemd"].flatMap((d) => (existsSync(d) ? readdirSync(d) : []))
      .filter((n) => /nspawn|machine|quadlet|containers|libpod|podman|netns|crun|user/.test(n)).sort().join(" "),
    mounts: readFileSync("/proc/self/mounts", "utf8").split("\n").filter((l) => l.includes("quadlet-e2e")).join("\n"),
    cgroup: existsSync(cgroupPath),
  };
}

/** The first boot only imports the test image, for root and for the rootless user. */
function importImages(machine) {
  const importCmd = `podman import --quiet --change 'CMD ["/bin/sh"]' ${IMAGE_TARBALL} localhost/busybox:latest`;
  const root = machine.sh(importCmd);
  if (root.status !== 0) throw new StepError(`importing the image for root: ${root.stderr.trim()}`);
  const manager = waitFor(() => machine.sh(`systemctl is-active user@${USER.uid}.service`).stdout.trim() === "active", 30_000);
  if (!manager) throw new StepError(`the lingering user's manager did not start`);
  const user = machine.userSh(USER, importCmd);
  if (user.status !== 0) throw new StepError(`importing the image for ${USER.name}: ${user.stderr.trim()}`);
}

/** Runs every check of the plan; returns [passed, failed, skipped]. */
function runChecks(machine, ctx) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const { checks } of checkPlan(ctx.release)) {
    for (const check of checks) {
      try {
        const note = check.run(machine, ctx);
        process.stdout.write(`ok - ${check.name}${note ? ` (${note})` : ""}\n`);
        passed++;
      } catch (err) {
        if (err instanceof Skipped) {
          process.stdout.write(`skip - ${check.name} : ${err.message}\n`);
          skipped++;
          continue;
        }
        const detail = err instanceof CheckFailed ? err.message : `${err.name}: ${err.message}`;
        process.stdout.write(`FAIL - ${check.name} : ${detail.replace(/\s*\n\s*/g, " | ")}\n`);
        failed++;
      }
    }
  }
  return [passed, failed, skipped];
}

/** Keeps the machine's journal in the cache folder when something failed, for a look afterwards. */
function saveJournal(machine, cache) {
  const r = machine.exec(["journalctl", "-b", "--no-pager", "-o", "short-precise"], { timeoutMs: 30_000 });
  const file = join(cache, "last-failed-run.journal");
  writeFileSync(file, r.stdout);
  say(`the machine's journal is in ${file}`);
}

function main() {
  if (process.getuid?.() !== 0) throw new StepError("the end-to-end run boots a container: run it as root");
  const opts = options();
  ensureHostTools();
  mkdirSync(opts.cache, { recursive: true });
  const work = mkdtempSync("/var/tmp/quadlet-e2e-");
  let machine;
  const cleanup = () => {
    machine?.destroy();
    rmSync(work, { recursive: true, force: true });
  };
  process.on("exit", cleanup);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => process.exit(130));

  say(`packaging quadlet (${elapsed()})`);
  must("npm", ["run", "-s", "package"], { cwd: repo });
  const tarball = rootfsTarball({ release: opts.release, cacheDir: opts.cache, workDir: work, fresh: opts.fresh });
  const tools = nspawnTools(opts.cache);
  const root = join(work, "root");
  say(`unpacking and preparing ${opts.release} (${elapsed()})`);
  unpack(tarball, root);
  prepare({ root, work, repo, release: opts.release });
  machine = new Machine({ ...tools, root, logFile: join(work, "console.log") });
  const before = hostState(machine.cgroup);

  say(`first boot: importing the test image (${elapsed()})`);
  machine.boot();
  importImages(machine);
  machine.poweroff();
  installUnits(root);

  say(`second boot, with the units in place (${elapsed()})`);
  // CLOCK_MONOTONIC, which the kernel log's timestamps also count in (one second of margin)
  const bootMonotonicUs = Number(process.hrtime.bigint() / 1000n) - 1_000_000;
  const ctx = { release: opts.release, bootMonotonicUs, retried: new Set() };
  machine.boot();
  say(`booted; checking (${elapsed()})`);
  let [passed, failed, skipped] = runChecks(machine, ctx);
  if (failed) saveJournal(machine, opts.cache);
  const clean = machine.poweroff();

  const after = hostState(machine.cgroup);
  const leftovers = [
    !clean && "processes had to be killed at power-off",
    after.cgroup && `cgroup ${machine.cgroup} remains`,
    after.mounts && `mounts remain: ${after.mounts}`,
    after.run !== before.run && `/run changed: was "${before.run}", now "${after.run}"`,
  ].filter(Boolean);
  if (leftovers.length) {
    process.stdout.write(`FAIL - power-off leaves nothing on the host : ${leftovers.join("; ")}\n`);
    failed++;
  } else {
    process.stdout.write("ok - power-off leaves nothing on the host\n");
    passed++;
  }
  process.stdout.write(`e2e: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}\n`);
  say(`${opts.release} run took ${elapsed()}`);
  return failed ? 1 : 0;
}

try {
  process.exitCode = main();
} catch (err) {
  if (!(err instanceof StepError)) throw err;
  process.stdout.write(`FAIL - setting up the machine : ${err.message.replace(/\s*\n\s*/g, " | ")}\n`);
  process.stdout.write("e2e: 0 passed, 1 failed\n");
  process.exitCode = 1;
}
