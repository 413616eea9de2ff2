// Preloaded (NODE_OPTIONS=--require) by run.mjs when /usr/bin/time is missing: writes the
// process's peak resident set size in KiB (getrusage's maxrss) to $QUADLET_BENCH_RSS_FILE.
"use strict";
const file = process.env.QUADLET_BENCH_RSS_FILE;
if (file) {
  delete process.env.QUADLET_BENCH_RSS_FILE;
  process.on("exit", () => {
    require("node:fs").writeFileSync(file, String(process.resourceUsage().maxRSS));
  });
}
