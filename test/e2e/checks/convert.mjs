// Checks of `quadlet convert compose` under the real systemd: a compose project of two
// services (web publishing a port and serving from a named volume, db answering on a
// network) converted in the machine into /etc/containers/systemd, then run by systemd.
import { FIXTURES, QUADLET } from "../lib/prepare.mjs";
import { containerNames, expect, podmanJson, sh, show, state, waitActive, waitFor } from "./util.mjs";

const DIR = "/etc/containers/systemd";
const UNITS = ["shop-web.container", "shop-db.container", "shop_site.volume", "shop_back.network"];
const SERVICES = ["shop-web.service", "shop-db.service"];

export const convertChecks = [
  {
    name: "quadlet convert compose writes the project's units, which systemd loads",
    run(m) {
      const written = sh(m, `cd ${FIXTURES}/compose && ${QUADLET} convert compose -f compose.yaml -o ${DIR}`);
      const missing = UNITS.filter((u) => !written.includes(`${DIR}/${u}`));
      expect(!missing.length, `convert did not write ${missing.join(", ")}; it printed: ${written.trim().replace(/\n/g, " | ")}`);
      sh(m, "systemctl daemon-reload");
      for (const unit of [...SERVICES, "shop_site-volume.service", "shop_back-network.service"]) {
        expect(show(m, unit, ["LoadState"]).LoadState === "loaded", state(m, unit));
      }
    },
  },
  {
    name: "the converted stack runs: depends_on, port, environment and named volume",
    run(m) {
      // web Requires= and is After= db (depends_on): starting web starts db first
      sh(m, "systemctl start shop-web.service");
      for (const unit of SERVICES) waitActive(m, unit);
      const page = waitFor(() => {
        const r = m.exec(["busybox", "wget", "-q", "-O", "-", "http://127.0.0.1:8081/"]);
        return r.status === 0 && r.stdout;
      }, 15_000, 500);
      // the page is written from the environment into the volume, and served on the published port
      expect(page === "hello from web\n", `http://127.0.0.1:8081/ gave ${JSON.stringify(page)}`);
      const [vol] = podmanJson(m, "volume inspect shop_site");
      expect(vol.Labels?.app === "shop", `shop_site's labels: ${JSON.stringify(vol.Labels)}`);
      const mounts = podmanJson(m, "inspect shop-web")[0].Mounts.map((x) => `${x.Name}:${x.Destination}`);
      expect(mounts.includes("shop_site:/www"), `shop-web's mounts: ${mounts.join(", ")}`);
    },
  },
  {
    name: "converted services reach each other by service name on their network",
    run(m) {
      const answer = waitFor(() => {
        const r = m.exec(["podman", "exec", "shop-web", "sh", "-c", "echo | nc -w 3 db 5432"]);
        return r.status === 0 && r.stdout.trim();
      }, 15_000, 500);
      expect(answer === "pong", `shop-web asking db:5432 got ${JSON.stringify(answer)}`);
    },
  },
  {
    name: "the converted stack stops cleanly",
    run(m) {
      const down = SERVICES.filter((u) => show(m, u, ["ActiveState"]).ActiveState !== "active");
      expect(!down.length, () => `not running before the stop: ${down.map((u) => state(m, u)).join("; ")}`);
      sh(m, `systemctl stop ${SERVICES.join(" ")}`);
      const failed = SERVICES.filter((u) => show(m, u, ["ActiveState"]).ActiveState !== "inactive");
      expect(!failed.length, () => failed.map((u) => state(m, u)).join("; "));
      const left = containerNames(m).filter((n) => n.startsWith("shop-"));
      expect(!left.length, `containers left after stop: ${left.join(", ")}`);
    },
  },
];
