/**
 * The kernel log is opened for writing only where it exists: never created.
 */
import { closeSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { openKernelLog } from "../src/kmsg.js";

const dir = mkdtempSync(join(tmpdir(), "quadlet-kmsg-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("openKernelLog", () => {
  it("never creates the kernel log where there is none", () => {
    const path = join(dir, "kmsg-missing");
    expect(openKernelLog(path)).toBeUndefined();
    expect(existsSync(path)).toBe(false);
  });

  it("opens an existing one for writing", () => {
    const path = join(dir, "kmsg");
    writeFileSync(path, "");
    const fd = openKernelLog(path);
    expect(fd).toBeTypeOf("number");
    writeSync(fd!, "quadlet-generator[1]: hello\n");
    closeSync(fd!);
    expect(readFileSync(path, "utf8")).toBe("quadlet-generator[1]: hello\n");
  });
});

/** Whether this process may make a mount namespace of its own (root, with unshare installed). */
const CAN_UNSHARE = spawnSync("unshare", ["-m", "true"], { stdio: "ignore" }).status === 0;

describe.skipIf(!CAN_UNSHARE)(`the generator where /dev has no kmsg${CAN_UNSHARE ? "" : " (skipped: needs root and unshare)"}`, () => {
  it("logs to stderr and leaves /dev without a kmsg file", () => {
    const units = join(dir, "units");
    mkdirSync(units);
    writeFileSync(join(units, "broken.container"), "[Container]\nImage=registry.example.com/app:1\nnot a key\n");
    // An empty /dev, as in a container without /dev/kmsg, in a mount namespace of its own.
    const script = `mount -t tmpfs none /dev && "$0" "$1" "$2"; status=$?; ls -A /dev; exit $status`;
    const r = spawnSync("unshare", ["-m", "sh", "-c", script, process.execPath, join(__dirname, "../bin/quadlet"), join(dir, "out")], {
      env: { ...process.env, QUADLET_UNIT_DIRS: units },
      encoding: "utf8",
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(""); // `ls -A /dev`: nothing was created there
    expect(r.stderr).toMatch(/^quadlet-generator\[\d+\]: error loading ".*broken\.container": .*broken\.container:3: /);
  });
});
