// Checks of the journal: quadlet's messages reach it, and nothing failed that should not have.
import { expect } from "./util.mjs";

// Errors the checks cause on purpose, each with why it is expected.
const EXPECTED = [
  // broken.container has no Image=: quadlet exits non-zero after generating the others.
  { why: "the generator's exit status for broken.container", test: (e) => /quadlet-(system|user)-generator failed with exit status 1/.test(e.MESSAGE) },
  // never.service is meant to time out.
  { why: "never.service times out", test: (e) => e.UNIT === "never.service" || /never\.service|systemd-never/.test(e.MESSAGE) },
];

/** This boot's journal entries matching `args` (journalctl's), as objects. */
export function entries(m, args) {
  const r = m.exec(["journalctl", "-b", "--no-pager", "-o", "json", ...args], { timeoutMs: 60_000 });
  return r.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l)).map((e) => ({
    ...e,
    // journald stores non-UTF-8 messages as byte arrays
    MESSAGE: Array.isArray(e.MESSAGE) ? Buffer.from(e.MESSAGE).toString() : String(e.MESSAGE ?? ""),
  }));
}

/**
 * This boot's entries: the host's kernel log is bound in so that quadlet's messages reach the
 * journal, so of the kernel's entries only those written since the boot are this machine's.
 */
export function thisBoot(e, ctx) {
  return e._TRANSPORT !== "kernel" || Number(e._SOURCE_MONOTONIC_TIMESTAMP) >= ctx.bootMonotonicUs;
}

const describe = (e) => `${e.SYSLOG_IDENTIFIER ?? e._COMM ?? "?"}: ${e.MESSAGE}`;

export const journalChecks = [
  {
    name: "quadlet's messages reach the journal",
    run(m, ctx) {
      const lines = entries(m, ["SYSLOG_IDENTIFIER=quadlet-generator"]).filter((e) => thisBoot(e, ctx));
      expect(lines.length, "no quadlet-generator entries in the journal");
      expect(lines.some((e) => /broken\.container/.test(e.MESSAGE)), () => `quadlet-generator said: ${lines.map(describe).join(" | ")}`);
    },
  },
  {
    name: "the journal has no unexpected errors",
    run(m, ctx) {
      const seen = new Map(); // why -> how many
      const errors = entries(m, ["-p", "err"])
        .filter((e) => thisBoot(e, ctx))
        .filter((e) => {
          const retried = [...ctx.retried].some((u) => e.USER_UNIT === u || e.MESSAGE.includes(u));
          const why = retried ? "the retried rootless start" : EXPECTED.find((x) => x.test(e))?.why;
          if (why) seen.set(why, (seen.get(why) ?? 0) + 1);
          return !why;
        });
      expect(!errors.length, () => `${errors.length} unexpected: ${errors.slice(0, 8).map(describe).join(" | ")}`);
      return seen.size ? `expected: ${[...seen].map(([why, n]) => `${why} x${n}`).join(", ")}` : undefined;
    },
  },
];
