// Installs or removes the packaged generator (dist/quadlet, from `npm run package`).
//
//   node scripts/install.mjs install   [--prefix DIR] [--destdir DIR] [--force] [--from DIR]
//   node scripts/install.mjs uninstall [--prefix DIR] [--destdir DIR]
//
// Layout under DESTDIR+PREFIX (PREFIX defaults to /usr/local):
//   libexec/quadlet/quadlet                                   the executable
//   libexec/quadlet/install-manifest                          what install placed
//   lib/systemd/system-generators/quadlet-system-generator    -> ../../../libexec/quadlet/quadlet
//   lib/systemd/user-generators/quadlet-user-generator        -> ../../../libexec/quadlet/quadlet
//   share/man/manN/PAGE.N                                     every page in dist/man
//
// DESTDIR (the option, or the environment variable) stages the tree for a package; the links
// are relative so the tree can move.
// `--from DIR` installs a build other than dist/ (DIR/quadlet and DIR/man/).
import {
  chmodSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const EXE = "libexec/quadlet/quadlet";
const MANIFEST = "libexec/quadlet/install-manifest";
const GENERATOR_LINKS = [
  "lib/systemd/system-generators/quadlet-system-generator",
  "lib/systemd/user-generators/quadlet-user-generator",
];
// podman's own generators: with either present, both would write the same units.
const PODMAN_GENERATORS = ["system-generators/podman-system-generator", "user-generators/podman-user-generator"];
// Where systemd looks for generators, besides PREFIX/lib/systemd.
const SYSTEMD_DIRS = ["/usr/lib/systemd", "/usr/local/lib/systemd", "/lib/systemd", "/etc/systemd", "/run/systemd"];

class InstallError extends Error {}

const exists = (path) => {
  try {
    lstatSync(path); // a dangling symlink still counts
    return true;
  } catch {
    return false;
  }
};

/** Creates `dir` and its missing parents, recording each one created (outermost first). */
function makeDirs(dir, created) {
  if (exists(dir)) return;
  makeDirs(dirname(dir), created);
  mkdirSync(dir);
  created.push(dir);
}

/** Replaces `target` with a copy of `source` in one rename, so no reader sees half a file. */
function installFile(source, target, mode) {
  const tmp = `${target}.tmp-${process.pid}`;
  copyFileSync(source, tmp);
  chmodSync(tmp, mode);
  renameSync(tmp, target);
}

function installLink(linkTarget, path) {
  const tmp = `${path}.tmp-${process.pid}`;
  rmSync(tmp, { force: true });
  symlinkSync(linkTarget, tmp);
  renameSync(tmp, path);
}

/** The manifest: one `file`, `link` or `dir` entry a line, paths relative to DESTDIR+PREFIX. */
function readManifest(base) {
  const path = join(base, MANIFEST);
  if (!existsSync(path)) return undefined;
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() && !l.startsWith("#"))
    .map((line) => {
      const [kind, ...rest] = line.split(" ");
      const rel = rest.join(" ");
      if (!["file", "link", "dir"].includes(kind) || !rel || rel.startsWith("/") || rel.split("/").includes("..")) {
        throw new InstallError(`${path}: unexpected line "${line}"`);
      }
      return { kind, rel };
    });
}

function podmanGenerators(destdir, base) {
  const dirs = new Set([join(base, "lib/systemd"), ...SYSTEMD_DIRS.map((d) => join(destdir, d))]);
  return [...dirs].flatMap((d) => PODMAN_GENERATORS.map((g) => join(d, g))).filter(exists);
}

function install({ destdir, base, force, from }) {
  const exe = join(from, "quadlet");
  const manDir = join(from, "man");
  if (!existsSync(exe) || !existsSync(manDir)) {
    throw new InstallError(`${relative(process.cwd(), exe) || exe} not found: run npm run package first`);
  }
  const podman = podmanGenerators(destdir, base);
  if (podman.length && !force) {
    throw new InstallError(
      `podman's own quadlet generator is installed:\n  ${podman.join("\n  ")}\n` +
        "Both would generate the same units. Remove podman's generator, or pass --force to install anyway.",
    );
  }
  for (const p of podman) process.stderr.write(`install: warning: ${p} is installed too (--force)\n`);

  const previous = readManifest(base) ?? [];
  const createdDirs = [];
  const entries = [];
  const place = (kind, rel, write) => {
    const target = join(base, rel);
    makeDirs(dirname(target), createdDirs);
    write(target);
    entries.push({ kind, rel });
    process.stdout.write(`${target}\n`);
  };

  place("file", EXE, (t) => installFile(exe, t, 0o755));
  for (const link of GENERATOR_LINKS) {
    place("link", link, (t) => installLink(relative(dirname(t), join(base, EXE)), t));
  }
  for (const page of readdirSync(manDir).sort()) {
    const section = /\.(\d)\w*$/.exec(page)?.[1];
    if (!section) continue;
    place("file", `share/man/man${section}/${page}`, (t) => installFile(join(manDir, page), t, 0o644));
  }

  // Directories this install or an earlier one created, outermost first, so uninstall can
  // remove them innermost first.
  const dirs = [
    ...previous.filter((e) => e.kind === "dir").map((e) => e.rel),
    // PREFIX itself is "." (created when staging into a fresh DESTDIR); directories above it
    // belong to DESTDIR and are left alone.
    ...createdDirs.map((d) => relative(base, d) || ".").filter((d) => !d.startsWith("..")),
  ];
  const lines = [
    "# written by quadlet's install script; `npm run uninstall-generator` removes these",
    ...entries.map((e) => `${e.kind} ${e.rel}`),
    ...[...new Set(dirs)].map((d) => `dir ${d}`),
  ];
  writeFileSync(join(base, MANIFEST), lines.join("\n") + "\n", { mode: 0o644 });
  process.stdout.write(`${join(base, MANIFEST)}\n`);
}

function uninstall({ base }) {
  const entries = readManifest(base);
  if (!entries) throw new InstallError(`nothing to remove: ${join(base, MANIFEST)} does not exist`);
  for (const { kind, rel } of entries) {
    if (kind === "dir") continue;
    const path = join(base, rel);
    if (!exists(path)) continue;
    rmSync(path);
    process.stdout.write(`removed ${path}\n`);
  }
  rmSync(join(base, MANIFEST));
  const dirs = entries.filter((e) => e.kind === "dir").map((e) => e.rel);
  // innermost first; a directory that now holds something else stays
  const depth = (rel) => (rel === "." ? 0 : rel.split("/").length);
  dirs.sort((a, b) => depth(b) - depth(a));
  for (const rel of dirs) {
    try {
      rmdirSync(join(base, rel));
    } catch (err) {
      if (err.code !== "ENOENT" && err.code !== "ENOTEMPTY" && err.code !== "EEXIST") throw err;
    }
  }
}

function main() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        prefix: { type: "string", default: "/usr/local" },
        destdir: { type: "string", default: process.env.DESTDIR ?? "" },
        force: { type: "boolean", default: false },
        from: { type: "string", default: join(root, "dist") },
      },
    });
  } catch (err) {
    throw new InstallError(err.message);
  }
  const { values, positionals } = parsed;
  const [action] = positionals;
  if (positionals.length !== 1 || !["install", "uninstall"].includes(action)) {
    throw new InstallError("usage: install.mjs install|uninstall [--prefix DIR] [--destdir DIR] [--force]");
  }
  if (!values.prefix.startsWith("/")) throw new InstallError(`--prefix must be an absolute path, not "${values.prefix}"`);
  const destdir = values.destdir ? resolve(values.destdir) : "";
  const opts = { destdir: destdir || "/", base: join(destdir || "/", values.prefix), force: values.force, from: resolve(values.from) };
  if (action === "install") install(opts);
  else uninstall(opts);
}

try {
  main();
} catch (err) {
  if (!(err instanceof InstallError)) throw err;
  process.stderr.write(`${process.argv[2] === "uninstall" ? "uninstall" : "install"}: ${err.message}\n`);
  process.exit(1);
}
