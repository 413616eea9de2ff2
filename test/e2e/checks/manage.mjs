// Checks of `quadlet install`, `list` and `rm` under the real systemd, run as root with the
// packaged executable: a .quadlets stack installed, seen running, refused, removed.
import { FIXTURES, QUADLET } from "../lib/prepare.mjs";
import { containerNames, expect, sh, show, state, waitActive } from "./util.mjs";

const DIR = "/etc/containers/systemd";
const STACK = `${FIXTURES}/manage/pad.quadlets`;
const BAD = `${FIXTURES}/manage/bad.container`;

const exists = (m, path) => m.exec(["test", "-e", path]).status === 0;
const oneLine = (text) => text.trim().replace(/\s*\n\s*/g, " | ");

/** `quadlet list --format json` as { name: status }. */
function listed(m) {
  const rows = JSON.parse(sh(m, `${QUADLET} list --format json`));
  return Object.fromEntries(rows.map((r) => [r.Name, r.Status]));
}

export const manageChecks = [
  {
    name: "quadlet install: a .quadlets stack is checked, written and loaded by systemd",
    run(m) {
      const r = m.sh(`${QUADLET} install ${STACK}`);
      expect(r.status === 0, `quadlet install exited with ${r.status}: ${oneLine(r.stdout + r.stderr)}`);
      for (const file of ["pad.container", "pad.volume"]) expect(exists(m, `${DIR}/${file}`), `${DIR}/${file} was not written`);
      // install reloads systemd itself
      expect(show(m, "pad.service", ["LoadState"]).LoadState === "loaded", state(m, "pad.service"));
      sh(m, "systemctl start pad.service");
      waitActive(m, "pad.service");
    },
  },
  {
    name: "quadlet list: the installed units with their state from systemd",
    run(m) {
      const status = listed(m);
      expect(status["pad.container"] === "active/running", `pad.container: ${status["pad.container"]}`);
      // a volume's service is a oneshot that stays active once the volume exists
      expect(status["pad.volume"] === "active/exited", `pad.volume: ${status["pad.volume"]}`);
      const shown = sh(m, `${QUADLET} list --filter name=^pad --noheading`).trim().split("\n");
      expect(shown.length === 2 && shown.every((l) => l.includes(DIR)), `list --filter name=^pad: ${shown.join(" | ")}`);
    },
  },
  {
    name: "quadlet install refuses a unit with an error; --force installs it, and list says why it is not loaded",
    run(m) {
      const refused = m.sh(`${QUADLET} install ${BAD}`);
      expect(refused.status !== 0, "quadlet install of bad.container succeeded");
      expect(/bad\.container:3: error\[\w+\]: unsupported key 'Imgae'/.test(refused.stdout + refused.stderr), `it printed: ${oneLine(refused.stdout + refused.stderr)}`);
      expect(!exists(m, `${DIR}/bad.container`), "the refused bad.container was written all the same");
      sh(m, `${QUADLET} install --force ${BAD}`);
      expect(exists(m, `${DIR}/bad.container`), "--force did not write bad.container");
      expect(show(m, "bad.service", ["LoadState"]).LoadState === "not-found", state(m, "bad.service"));
      const status = listed(m)["bad.container"] ?? "not listed";
      expect(/^Not loaded: bad\.container:3: unsupported key 'Imgae'/.test(status), `bad.container: ${status}`);
    },
  },
  {
    name: "quadlet rm: a running unit needs --force; its services are gone after the reload",
    run(m) {
      const refused = m.sh(`${QUADLET} rm pad.container`);
      expect(refused.status !== 0, "quadlet rm of the running pad.container succeeded without --force");
      expect(exists(m, `${DIR}/pad.container`), "pad.container was removed without --force");
      expect(show(m, "pad.service", ["ActiveState"]).ActiveState === "active", state(m, "pad.service"));
      const removed = sh(m, `${QUADLET} rm --force pad.container pad.volume bad.container`).trim().split("\n");
      expect(["pad.container", "pad.volume", "bad.container"].every((f) => removed.includes(f)), `rm printed: ${removed.join(" | ")}`);
      for (const file of ["pad.container", "pad.volume", "bad.container"]) expect(!exists(m, `${DIR}/${file}`), `${DIR}/${file} is still there`);
      for (const unit of ["pad.service", "pad-volume.service"]) expect(show(m, unit, ["LoadState"]).LoadState === "not-found", state(m, unit));
      expect(!containerNames(m).includes("systemd-pad"), "the container systemd-pad is still there");
      const left = Object.keys(listed(m)).filter((n) => /^(pad|bad)\./.test(n));
      expect(!left.length, `quadlet list still shows ${left.join(", ")}`);
    },
  },
];
