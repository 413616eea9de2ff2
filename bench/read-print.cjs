#!/usr/bin/env node
// The read-and-print floor of the benchmark: the least work any unit generator written for
// Node must do, and nothing more. It lists the directories in QUADLET_UNIT_DIRS (and their
// subdirectories), reads every file, cuts it into sections and trimmed Key=Value lines,
// and prints each file back as sections of lines, 256 KiB at a time. No key is looked up,
// nothing is quoted, checked or converted, and drop-ins are read but not merged.
//
// bench/run.mjs times it beside quadlet's dry runs (the rows "node read+print"): its time
// is Node's start-up plus the file system plus the plainest parse and print, a floor below
// which no generator of the same shape can go on the same machine.
"use strict";
const { readdirSync, readFileSync, statSync, writeSync } = require("node:fs");

/** Every file below `dir`, symlinks followed (units may be links to other units). */
function listFiles(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    const kind = entry.isSymbolicLink() ? statSync(path) : entry;
    if (kind.isDirectory()) listFiles(path, out);
    else if (kind.isFile()) out.push(path);
  }
  return out;
}

function sectionsOf(text) {
  const sections = [];
  let current;
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line === "" || line[0] === "#" || line[0] === ";") continue;
    if (line[0] === "[") {
      current = { name: line.slice(1, line.indexOf("]")), lines: [] };
      sections.push(current);
      continue;
    }
    const eq = line.indexOf("=");
    if (current !== undefined && eq > 0) current.lines.push(`${line.slice(0, eq).trim()}=${line.slice(eq + 1).trim()}`);
  }
  return sections;
}

let pending = [];
let pendingLength = 0;
function print(text) {
  pending.push(text);
  pendingLength += text.length;
  if (pendingLength >= 256 * 1024) flush();
}
function flush() {
  if (pending.length) writeSync(1, pending.join(""));
  pending = [];
  pendingLength = 0;
}

for (const dir of (process.env.QUADLET_UNIT_DIRS ?? "").split(":").filter(Boolean)) {
  for (const file of listFiles(dir, [])) {
    const parts = [`---${file}---`];
    for (const section of sectionsOf(readFileSync(file, "utf8"))) parts.push(`[${section.name}]`, ...section.lines, "");
    print(parts.join("\n"));
  }
}
flush();
