/**
 * Vitest global setup: every temporary file of a test run, the tests' own and those of the
 * programs they start, goes into one directory (TMPDIR points there), removed when the run
 * ends. A test still removes its own directories; this catches what one misses.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), "quadlet-test-"));
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
