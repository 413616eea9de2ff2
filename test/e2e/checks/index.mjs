// The one list of what the end-to-end run checks, in order, on a booted machine.
// Each check is { name, run(machine, ctx) }: it throws CheckFailed with a detail, or returns
// nothing or a note printed after "ok". Capabilities built later add their group here.
import { journalChecks } from "./journal.mjs";
import { bootChecks, stackChecks, stopChecks } from "./system.mjs";
import { userChecks } from "./user.mjs";

/** The check groups for a run on `release` (every release runs the same list today). */
export function checkPlan() {
  return [
    { group: "boot", checks: bootChecks },
    { group: "system stack", checks: stackChecks },
    // Still to come, each as a group here: `quadlet install` -> `quadlet list` -> `quadlet rm`
    // of a unit; a stack made by `quadlet convert compose`. The bookworm run, where the
    // generator targets podman 4.3.1 by itself, needs no group of its own: it runs this list.
    { group: "rootless", checks: userChecks },
    { group: "stop", checks: stopChecks },
    { group: "journal", checks: journalChecks },
  ];
}
