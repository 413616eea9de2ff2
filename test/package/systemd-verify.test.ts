/**
 * systemd's own judgement of the generated units: every service generated from the fixture
 * directories, for the system manager and for a user's, passes `systemd-analyze verify` with
 * nothing on stderr.
 *
 * A fixture directory may hold units that are meant to fail; the generator then exits 1, and
 * only the services it did write are verified (they must be sound all the same).
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasCommand, removeDir, ROOT, run, tempDir } from "./helpers.js";

const HAS_ANALYZE = hasCommand("systemd-analyze");
const FIXTURES = join(ROOT, "fixtures");
// fixtures/mistakes holds deliberate mistakes (a misspelt [Volumes] section, …): systemd's
// complaints about them are what quadlet's own warnings announce.
const fixtureDirs = readdirSync(FIXTURES)
  .filter((name) => statSync(join(FIXTURES, name)).isDirectory() && name !== "mistakes")
  .sort();

const modes = [
  { name: "system", flags: [] as string[], analyze: [] as string[] },
  { name: "user", flags: ["-user"], analyze: ["--user"] },
];

let work: string;
beforeAll(() => {
  work = tempDir("verify");
});
afterAll(() => removeDir(work));

/** Generates the units of fixture `dir` into a fresh directory; returns it and the status. */
function generate(dir: string, mode: (typeof modes)[number]) {
  const out = join(work, `${dir}-${mode.name}`);
  const r = run(process.execPath, [join(ROOT, "bin/quadlet"), "-no-kmsg-log", ...mode.flags, out], {
    env: { ...process.env, QUADLET_UNIT_DIRS: join(FIXTURES, dir), PODMAN: "/bin/true" },
  });
  const services = existsSync(out) ? readdirSync(out).filter((f) => f.endsWith(".service")).sort() : [];
  return { out, status: r.status, stderr: r.stderr, services };
}

describe.skipIf(!HAS_ANALYZE)(
  `systemd-analyze verify${HAS_ANALYZE ? "" : " (skipped: systemd-analyze is not installed)"}`,
  () => {
    it("has fixtures to check", () => {
      expect(fixtureDirs).toContain("examples");
    });

    describe.each(fixtureDirs)("fixtures/%s", (dir) => {
      it.each(modes)("$name units load cleanly", (mode) => {
        const gen = generate(dir, mode);
        expect([0, 1], `generator crashed: ${gen.stderr}`).toContain(gen.status);
        // fixtures/examples is the showcase: all of it must compile
        if (dir === "examples") {
          expect(gen.stderr).toBe("");
          expect(gen.status).toBe(0);
          expect(gen.services.length).toBeGreaterThan(0);
        }
        const runtimeDir = join(work, `${dir}-${mode.name}-runtime`);
        run("mkdir", ["-p", runtimeDir]);
        const problems: string[] = [];
        for (const service of gen.services) {
          const r = run("systemd-analyze", [...mode.analyze, "verify", join(gen.out, service)], {
            env: {
              ...process.env,
              SYSTEMD_UNIT_PATH: `${gen.out}:`, // the trailing ":" keeps systemd's own paths
              PODMAN: "/bin/true",
              XDG_RUNTIME_DIR: runtimeDir,
              SYSTEMD_LOG_COLOR: "0",
            },
          });
          if (r.stderr.trim() !== "" || r.status !== 0) problems.push(`${service} (exit ${r.status}):\n${r.stderr}`);
        }
        expect(problems.join("\n")).toBe("");
      });
    });
  },
);
