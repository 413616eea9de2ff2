// The one list of what the end-to-end run checks, in order, on a booted machine.
// Each check is { name, run(machine, ctx) }: it throws CheckFailed with a detail (or Skipped
// with the reason it cannot run on this release), or returns nothing or a note printed after
// "ok". Capabilities built later add their group here.
import { convertChecks } from "./convert.mjs";
import { journalChecks } from "./journal.mjs";
import { manageChecks } from "./manage.mjs";
import { bootChecks, stackChecks, stopChecks } from "./system.mjs";
import { userChecks } from "./user.mjs";
import { versionChecks } from "./version.mjs";

/** The check groups for a run on `release`. */
export function checkPlan(release) {
  return [
    { group: "boot", checks: bootChecks },
    { group: "system stack", checks: stackChecks },
    { group: "podman version", checks: versionChecks(release) },
    { group: "install, list, rm", checks: manageChecks },
    { group: "convert compose", checks: convertChecks },
    { group: "rootless", checks: userChecks(release) },
    { group: "stop", checks: stopChecks },
    { group: "journal", checks: journalChecks },
  ];
}
