// Checks that the generator targets the podman installed in the machine, found by itself in
// dpkg's records (nothing in the machine names a version): trixie's 5.4.2 runs every unit,
// bookworm's 4.3.1 gets the flags it has, and a unit needing a newer podman is refused.
import { fixture } from "../lib/prepare.mjs";
import { expect, generated, journal, podmanJson, sh, show, state, waitActive } from "./util.mjs";
import { entries, thisBoot } from "./journal.mjs";

// The line of healthy.container that needs podman 4.7.
const NOTIFY_LINE = fixture("system/healthy.container").split("\n").findIndex((l) => l.startsWith("Notify=healthy")) + 1;

/** volume create --ignore came in podman 4.4: with an older podman, an existing volume is kept by a guard. */
const volumeFlags = {
  name: "the generator targets the installed podman: `volume create` as that release accepts it",
  run(m, ctx) {
    const start = generated(m, "data-volume.service").split("\n").find((l) => l.startsWith("ExecStart="));
    const ignore = / volume create .*--ignore/.test(start);
    if (ctx.release === "bookworm") {
      expect(!ignore && /volume.*inspect.*systemd-data/.test(start), `podman 4.3.1 has no volume create --ignore, yet: ${start}`);
    } else {
      expect(ignore, `podman 5.4.2 has volume create --ignore, yet: ${start}`);
    }
  },
};

const healthyRuns = {
  name: "Notify=healthy: ready once its health check passes",
  run(m) {
    expect(generated(m, "healthy.service").includes("--sdnotify=healthy"), "healthy.service does not use --sdnotify=healthy");
    sh(m, "systemctl start healthy.service");
    waitActive(m, "healthy.service");
    const [c] = podmanJson(m, "inspect systemd-healthy");
    const health = c.State.Health?.Status ?? c.State.Healthcheck?.Status;
    expect(health === "healthy", `health: ${health}`);
    sh(m, "systemctl stop healthy.service");
  },
};

const healthyRefused = {
  name: "Notify=healthy is refused for podman 4.3.1, with file:line in the journal",
  run(m, ctx) {
    expect(show(m, "healthy.service", ["LoadState"]).LoadState === "not-found", state(m, "healthy.service"));
    const said = entries(m, ["SYSLOG_IDENTIFIER=quadlet-generator"]).filter((e) => thisBoot(e, ctx)).map((e) => e.MESSAGE);
    const want = `/etc/containers/systemd/healthy.container:${NOTIFY_LINE}: error[`;
    const line = said.find((s) => s.includes(want));
    expect(line, `no "${want}…" among quadlet's messages: ${said.filter((s) => /healthy/.test(s)).join(" | ") || "none about healthy.container"}`);
    // "this host has": the version came from the machine itself, not from an option
    expect(/Notify=healthy needs podman 4\.7 or later; this host has 4\.3\.1/.test(line), `quadlet said: ${line}`);
    // the unit alone is refused: the others of the same directory run
    expect(show(m, "web.service", ["ActiveState"]).ActiveState === "active", `${state(m, "web.service")}; ${journal(m, "web.service").trim().split("\n").pop()}`);
  },
};

/** The version group's checks for `release`. */
export function versionChecks(release) {
  return release === "bookworm" ? [volumeFlags, healthyRefused] : [volumeFlags, healthyRuns];
}
