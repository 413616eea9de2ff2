// What checks share: failing with a detail, asking systemd and podman, waiting for a state.
import { sleep, waitFor } from "../lib/sh.mjs";

export class CheckFailed extends Error {}

/** Thrown by a check that cannot run on this release, for a reason of that release's podman. */
export class Skipped extends Error {}

export function expect(condition, detail) {
  if (!condition) throw new CheckFailed(typeof detail === "function" ? detail() : detail);
}

const lastLines = (text, n = 3) => text.trim().split("\n").slice(-n).join(" | ");

/** Runs a script in the machine (as `user` when given) that must succeed; returns stdout. */
export function sh(m, script, user) {
  const r = user ? m.userSh(user, script) : m.sh(script);
  expect(r.status === 0, () => `\`${script}\` exited with ${r.status}: ${lastLines(r.stdout + r.stderr)}`);
  return r.stdout;
}

/** `systemctl show` properties of a unit, as an object. */
export function show(m, unit, props, user) {
  const scope = user ? "--user" : "--system";
  const r = user
    ? m.userSh(user, `systemctl ${scope} show ${unit} -p ${props.join(",")}`)
    : m.exec(["systemctl", scope, "show", unit, "-p", props.join(",")]);
  return Object.fromEntries(
    r.stdout.split("\n").filter(Boolean).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
}

/** A one-line summary of a unit's state, for failure details. */
export function state(m, unit, user) {
  const s = show(m, unit, ["LoadState", "ActiveState", "SubState", "Result"], user);
  return `${unit} ${s.LoadState}/${s.ActiveState}/${s.SubState} result=${s.Result}`;
}

// States a unit leaves by itself (a unit restarted by Restart= is "activating" meanwhile);
// "inactive" after a start means it was not started, or a dependency failed.
export const TRANSITIONAL = ["activating", "deactivating", "reloading", "refreshing"];

/** Waits until `unit` is active (ms at most); fails with its state and last log lines otherwise. */
export function waitActive(m, unit, ms = 30_000, user) {
  const s = waitFor(() => {
    const a = show(m, unit, ["ActiveState"], user).ActiveState;
    return !TRANSITIONAL.includes(a) && a;
  }, ms, 300);
  expect(s === "active", () => `${state(m, unit, user)}; ${lastLines(journal(m, unit, user), 2)}`);
}

/** The journal lines of one unit in this boot. */
export function journal(m, unit, user) {
  const match = user ? `_SYSTEMD_USER_UNIT=${unit}` : `_SYSTEMD_UNIT=${unit}`;
  const r = m.exec(["journalctl", "-b", "--no-pager", "-o", "cat", match, "+", `UNIT=${unit}`]);
  return r.stdout;
}

/** Parses the JSON a podman command prints. */
export function podmanJson(m, args, user) {
  return JSON.parse(sh(m, `podman ${args}`, user));
}

/** Names of the containers podman knows (running or not). */
export function containerNames(m, user) {
  return sh(m, "podman ps -a --format '{{.Names}}'", user).split("\n").filter(Boolean);
}

/** The generated service text for `unit`, as systemd loaded it. */
export function generated(m, unit, user) {
  const dir = user ? `/run/user/${user.uid}/systemd/generator` : "/run/systemd/generator";
  return sh(m, `cat ${dir}/${unit}`);
}

export { sleep, waitFor };
