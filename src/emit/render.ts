/**
 * Prints a {@link UnitFile} as unit-file text: each group's leading comments, its
 * `[Name]` header, then its lines; one blank line between groups.
 */
import type { UnitFile } from "../parser/unitfile.js";

export function renderUnit(unit: UnitFile): string {
  let out = "";
  unit.groups.forEach((g, i) => {
    if (i > 0) out += "\n";
    for (const c of g.comments) out += c.value + "\n";
    out += `[${g.name}]\n`;
    for (const l of g.lines) out += l.isComment ? l.value + "\n" : `${l.key}=${l.value}\n`;
  });
  return out;
}
