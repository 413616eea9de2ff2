/**
 * Prints a {@link UnitFile} as unit-file text: each group's leading comments, its
 * `[Name]` header, then its lines; one blank line between groups.
 */
import type { UnitFile } from "../parser/unitfile.js";

export function renderUnit(unit: UnitFile): string {
  // Lines collected and joined once: a boot renders every service, and appending to a
  // string piece by piece allocates a rope node per piece.
  const lines: string[] = [];
  const groups = unit.groups;
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    if (i > 0) lines.push("");
    // Counting loops: for…of allocates at each step until V8 optimizes this function.
    for (let j = 0; j < g.comments.length; j++) lines.push(g.comments[j]!.value);
    lines.push(`[${g.name}]`);
    for (let j = 0; j < g.lines.length; j++) {
      const l = g.lines[j]!;
      lines.push(l.isComment ? l.value : `${l.key}=${l.value}`);
    }
  }
  lines.push("");
  return lines.join("\n");
}
