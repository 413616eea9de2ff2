// Moved to src/text/names.ts, where the generator and the emitter both take it from.
export * from "../text/names.js";
