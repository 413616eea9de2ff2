// Small synchronous helpers for running commands on the host.
import { spawnSync } from "node:child_process";

export class StepError extends Error {}

/** Runs a command and returns its status and output; never throws for a non-zero exit. */
export function run(cmd, args = [], opts = {}) {
  const r = spawnSync(cmd, args, {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    input: opts.input,
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    timeout: opts.timeoutMs,
    stdio: opts.stdio ?? ["pipe", "pipe", "pipe"],
  });
  // Everything here is synchronous, so a signal handler would only run at the very end: a
  // child killed by Ctrl-C (or by a SIGTERM to the whole process group) ends the run here,
  // and the exit handler cleans up.
  if ((r.signal === "SIGINT" || r.signal === "SIGTERM") && r.error?.code !== "ETIMEDOUT") {
    process.stderr.write(`e2e: interrupted (${cmd} got ${r.signal})\n`);
    process.exit(130);
  }
  return {
    status: r.status ?? (r.signal ? 128 : 1),
    stdout: r.stdout ?? "",
    stderr: (r.stderr ?? "") + (r.error ? String(r.error) : ""),
  };
}

/** Runs a command that must succeed; returns its stdout, or throws with what it printed. */
export function must(cmd, args = [], opts = {}) {
  const r = run(cmd, args, opts);
  if (r.status !== 0) {
    const out = (r.stdout + r.stderr).trim().split("\n").slice(-15).join("\n");
    throw new StepError(`${cmd} ${args.join(" ")} exited with ${r.status}\n${out}`);
  }
  return r.stdout;
}

/**
 * Blocks for `ms` milliseconds. A child `sleep` rather than an in-process wait, so that a
 * Ctrl-C while waiting reaches a child and ends the run (see run()).
 */
export function sleep(ms) {
  run("sleep", [String(ms / 1000)]);
}

/** Calls `probe` until it returns a truthy value or `ms` pass; returns the last value. */
export function waitFor(probe, ms, everyMs = 250) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value || Date.now() >= deadline) return value;
    sleep(everyMs);
  }
}

/** Progress messages go to stderr so that stdout holds only the check lines. */
export function say(message) {
  process.stderr.write(`e2e: ${message}\n`);
}
