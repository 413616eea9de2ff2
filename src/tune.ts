/**
 * V8 tuning for runs long enough to gain from it.
 *
 * A generator runs each function about a thousand times and exits. V8's default interrupt
 * budget sends hot functions to the optimizing compiler within the first few hundred calls,
 * and a 1,000-unit run then spends a third of its CPU compiling code it barely uses. A budget
 * of 2 MiB of bytecode cuts that CPU by about 30% and the wall time by about 20% at 1,000
 * units (1 MiB and 4 MiB measured the same). Loading node:v8 to set it costs about 2.5 ms,
 * which a run of ten units never earns back: it is set only once a run has that many units.
 * Set for V8 11 (Node 20) only, where it was measured: other V8s tier up differently, and a
 * flag V8 does not know prints an error on stderr.
 *
 * V8 checks a code cache against the flags of the moment, and refuses one made under other
 * flags. Every cache is made under the default flags (scripts/build.mjs, bin/quadlet), so the
 * budget is raised only after the code a run needs is compiled: the bundle at start, a
 * subcommand's chunk before it runs, the generator's retarget chunk before any unit is
 * converted. A chunk compiled later (rare: `verify -podman-version`) compiles without its
 * cache: slower, never wrong. The budget is read when a function first collects type
 * feedback, so it still applies to nearly every function that runs after it is set.
 *
 * The young generation is also kept at its starting size (a growth factor of 1; V8 reads that
 * flag whenever it resizes, unlike the semi-space sizes, read only at start). Left to grow, it
 * took a 1,000-unit run's peak RSS from 60 to 69 MiB, and the new pages' faults cost more
 * than the fewer scavenges saved: paired runs measured 3-8% less wall time with it, and no
 * change at 100 or 5,000 units.
 */
const V8_FLAGS = "--interrupt-budget=2097152 --semi-space-growth-factor=1";

/** From this many units on, a run tunes V8 (measured: ten units lose 6%, a thousand gain 20%). */
const LONG_RUN_UNITS = 64;

/** Set on globalThis by the code-cache builder, whose runs must compile as untuned runs do. */
const UNTUNED = Symbol.for("quadlet.untuned");

let tuned = false;

/** Tunes V8 for a run of `count` units when it is long enough to gain from it. */
export function tuneForUnits(count: number): void {
  if (count >= LONG_RUN_UNITS) tuneV8();
}

/** Raises V8's interrupt budget for the rest of the process, once. */
function tuneV8(): void {
  if (tuned || (globalThis as Record<symbol, unknown>)[UNTUNED] === true || !process.versions.v8.startsWith("11.")) return;
  tuned = true;
  // Loaded only here: node:v8 pulls in node:stream, which a short run never needs.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require("node:v8") as typeof import("node:v8")).setFlagsFromString(V8_FLAGS);
}
