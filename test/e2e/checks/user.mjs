// Checks of the rootless stack in units/user: a lingering user's units, started by its manager.
import { USER } from "../lib/prepare.mjs";
import { containerNames, expect, podmanJson, sh, show, Skipped, state, waitActive, waitFor } from "./util.mjs";

const HELLO = "hello.service";
const VOLUME = "cache-volume.service";

const runningChecks = [
  {
    name: "rootless: the lingering user's manager started its unit at boot",
    run(m, ctx) {
      const manager = `user@${USER.uid}.service`;
      expect(waitFor(() => show(m, manager, ["ActiveState"]).ActiveState === "active", 30_000), state(m, manager));
      const settled = waitFor(() => {
        const s = show(m, HELLO, ["ActiveState"], USER).ActiveState;
        return ["active", "failed"].includes(s) && s;
      }, 45_000, 500);
      // A known podman problem on hosts mixing cgroup v1 and v2: now and then the first
      // rootless start fails with Result=protocol (hello's, or its volume's). It is retried
      // once, and said so.
      const flaked = [HELLO, VOLUME].filter((u) => show(m, u, ["Result"], USER).Result === "protocol");
      if (settled !== "active" && flaked.length) {
        for (const u of flaked) ctx.retried.add(u);
        sh(m, `systemctl --user reset-failed ${flaked.join(" ")}; systemctl --user start ${HELLO}`, USER);
        waitActive(m, HELLO, 30_000, USER);
        return `retried once: the first start of ${flaked.join(", ")} failed with Result=protocol`;
      }
      waitActive(m, HELLO, 5_000, USER);
      return undefined;
    },
  },
  {
    name: "rootless: the container runs as the user, with its labelled volume",
    run(m) {
      const names = containerNames(m, USER);
      expect(names.includes("systemd-hello"), `the user's containers: ${names.join(", ") || "none"}`);
      expect(!containerNames(m).includes("systemd-hello"), "systemd-hello runs in root's podman, not the user's");
      const [vol] = podmanJson(m, "volume inspect systemd-cache", USER);
      expect(vol.Labels?.owner === "e2e", `labels: ${JSON.stringify(vol.Labels)}`);
      const logs = sh(m, "podman logs systemd-hello 2>&1", USER);
      expect(logs.includes("instance rootless started"), `hello's log: ${logs.trim()}`);
    },
  },
  {
    name: "rootless: a clean stop removes the container",
    run(m) {
      sh(m, `systemctl --user stop ${HELLO}`, USER);
      const s = show(m, HELLO, ["ActiveState"], USER).ActiveState;
      expect(s === "inactive", state(m, HELLO, USER));
      expect(!containerNames(m, USER).includes("systemd-hello"), "systemd-hello is still there");
    },
  },
];

/**
 * bookworm: podman 4.3.1 runs a rootless container's conmon outside the service's cgroup on
 * this host (where the user's manager has no cgroup controllers delegated), so systemd loses
 * the main PID that --sdnotify=conmon names, and takes the unit as stopped while its container
 * runs on: a plain `systemd-run --user -p Type=notify podman run --sdnotify=conmon -d ...`
 * does the same, with --cgroups=split or enabled. podman 5.4.2 on the same host keeps it in.
 * What can be checked is that the user's generator makes the unit for podman 4.3.1.
 */
const bookwormChecks = [
  {
    name: "rootless: the user's generator makes the lingering user's units",
    run(m) {
      const unit = sh(m, `cat /run/user/${USER.uid}/systemd/generator/${HELLO}`);
      expect(/^ExecStart=\/usr\/bin\/podman run .*--sdnotify=conmon .*-v systemd-cache:\/cache /m.test(unit), `${HELLO}: ${unit.split("\n").find((l) => l.startsWith("ExecStart=")) ?? "no ExecStart"}`);
      const volume = sh(m, `cat /run/user/${USER.uid}/systemd/generator/${VOLUME}`);
      expect(!/volume create .*--ignore/.test(volume), `${VOLUME} uses volume create --ignore, which podman 4.3.1 lacks`);
    },
  },
  {
    name: "rootless: the lingering user's unit runs",
    run() {
      throw new Skipped("podman 4.3.1's rootless conmon runs outside the service's cgroup here, so systemd stops a --sdnotify=conmon unit while its container runs on");
    },
  },
];

/** The rootless group's checks for `release`. */
export function userChecks(release) {
  return release === "bookworm" ? bookwormChecks : runningChecks;
}
