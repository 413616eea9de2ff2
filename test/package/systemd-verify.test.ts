/**
 * Every fixture directory, generated for the system manager and for a user's: the services
 * it makes and the units that fail (with why) are stated below and checked, and, where
 * systemd-analyze is installed, every service written passes `systemd-analyze verify` with
 * nothing on stderr.
 */
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
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

/** What one fixture directory makes: the same in both modes. */
interface Expected {
  /** Every .service written, sorted. */
  services: string[];
  /** The units that fail, each with what its error must say. Any other error fails the test. */
  failures?: Record<string, RegExp>;
}

const EXPECTED: Record<string, Expected> = {
  artifact: { services: ["models-artifact.service"] },
  build: { services: ["api-build.service", "api.service", "buildnet-network.service", "gocache-volume.service"] },
  examples: {
    services: ["app-network.service", "db.service", "pgdata-volume.service", "uploads-volume.service", "webapp.service", "worker@.service"],
  },
  // Values podman accepts with a warning, empty files, and a container with no image.
  fixes: {
    services: ["data-volume.service", "devices.service", "group-pod.service", "lan-network.service", "off-network.service"],
    failures: { "app.container": /converting "app\.container": no Image or Rootfs key specified/ },
  },
  image: { services: ["mirror-image.service", "offline-image.service", "reporting.service"] },
  kube: { services: ["blog.service"] },
  network: { services: ["backend-network.service"] },
  parser: { services: ["continuation.service"] },
  pod: {
    services: ["shop-data-volume.service", "shop-front.service", "shop-network.service", "shop-pod.service", "shop-worker.service"],
  },
  // Broken units next to sound ones: each broken one is reported, every sound one is written.
  robustness: {
    services: [
      "backend-network.service",
      "cache-volume.service",
      "frontend.service",
      "injection.service",
      "web.service",
      "worker@.service",
    ],
    failures: {
      "bad-line.container": /bad-line\.container:3: "this line has no equals sign" is not a \[Section\] header/,
      "bad-servicename.container": /ServiceName=my app makes "my app\.service", which is not a valid unit name/,
      "continuation-eof.container": /continuation-eof\.container:5: the value of Description= ends in a backslash/,
      "escaping-alias.container": /escaping-alias\.container:5: Alias=\.\.\/\.\.\/etc\/systemd\/system\/evil\.service would leave the generator directory/,
      "unknown-keys.container": /unsupported key '(Imagee|PublishPorts)' in group 'Container' in .*unknown-keys\.container:[35]/,
    },
  },
  stack: {
    services: [
      "cache-volume@.service",
      "shop-db-volume.service",
      "shop-db.service",
      "shop-network.service",
      "shop-pod.service",
      "storefront-build.service",
      "storefront.service",
      "worker@.service",
    ],
  },
  volume: { services: ["media-volume.service", "pgdata-volume.service", "site-build.service", "site-content-volume.service"] },
};

/**
 * Fixture directories that are not one set of units to generate together, and what they hold
 * instead. Their own tests read them.
 */
const NOT_UNIT_DIRS: Record<string, string> = {
  convert: "compose files and the units quadlet convert makes of them",
  verify: "unit sets for quadlet verify, explain and graph, mistakes among them on purpose",
  manage: "sources for quadlet install and rm: .quadlets files, applications, broken units on purpose",
};

/** The directories checked here: every fixture directory not listed above. */
const unitDirs = fixtureDirs.filter((dir) => !Object.hasOwn(NOT_UNIT_DIRS, dir));

const modes = [
  { name: "system", flags: [] as string[], analyze: [] as string[] },
  { name: "user", flags: ["-user"], analyze: ["--user"] },
];

let work: string;
beforeAll(() => {
  work = tempDir("verify");
});
afterAll(() => removeDir(work));

type Generated = ReturnType<typeof generateOnce>;
const generated = new Map<string, Generated>();

/** The units of fixture `dir` generated in `mode`, once per run: two tests read them. */
function generate(dir: string, mode: (typeof modes)[number]): Generated {
  const key = `${dir}-${mode.name}`;
  let gen = generated.get(key);
  if (gen === undefined) generated.set(key, (gen = generateOnce(dir, mode)));
  return gen;
}

/** Generates the units of fixture `dir` into a fresh directory; returns it, the status and the error lines. */
function generateOnce(dir: string, mode: (typeof modes)[number]) {
  const out = join(work, `${dir}-${mode.name}`);
  const r = run(process.execPath, [join(ROOT, "bin/quadlet"), "-no-kmsg-log", ...mode.flags, out], {
    env: { ...process.env, QUADLET_UNIT_DIRS: join(FIXTURES, dir), PODMAN: "/bin/true" },
  });
  const services = existsSync(out) ? readdirSync(out).filter((f) => f.endsWith(".service")).sort() : [];
  const errors = r.stderr.split("\n").filter((l) => l !== "");
  return { out, status: r.status, stderr: r.stderr, errors, services };
}

/** The services `gen` wrote that systemd-analyze finds fault with, each with what it said. */
function analyzeProblems(gen: Generated, mode: (typeof modes)[number]): string {
  // Short: user units place sockets below it, and a socket path has at most 107 bytes.
  const runtimeDir = join(work, `rt-${mode.name[0]}`);
  mkdirSync(runtimeDir, { recursive: true });
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
  return problems.join("\n");
}

describe("fixture directories", () => {
  it("each states what it expects", () => {
    expect(fixtureDirs).toContain("examples");
    expect([...Object.keys(EXPECTED), ...Object.keys(NOT_UNIT_DIRS)].sort()).toEqual(fixtureDirs);
  });

  describe.each(unitDirs)("fixtures/%s", (dir) => {
    const expected = EXPECTED[dir] ?? { services: [] };
    const failures = Object.entries(expected.failures ?? {});

    it.each(modes)("$name: makes the stated services and fails only the stated units", (mode) => {
      const gen = generate(dir, mode);
      expect(gen.services).toEqual(expected.services);
      expect(gen.status).toBe(failures.length === 0 ? 0 : 1);
      // Every error line is about one of the stated units, and says why it fails.
      for (const line of gen.errors) {
        const match = failures.find(([file, why]) => line.includes(file) && why.test(line));
        expect(match, `unexpected error: ${line}`).toBeDefined();
      }
      for (const [file] of failures) {
        expect(gen.errors.some((line) => line.includes(file)), `no error for ${file}`).toBe(true);
      }
    });

    it.skipIf(!HAS_ANALYZE).each(modes)(
      `$name: systemd-analyze verify accepts every service${HAS_ANALYZE ? "" : " (skipped: systemd-analyze is not installed)"}`,
      (mode) => {
        const gen = generate(dir, mode);
        expect(gen.services.length).toBeGreaterThan(0);
        expect(analyzeProblems(gen, mode)).toBe("");
      },
    );
  });
});
