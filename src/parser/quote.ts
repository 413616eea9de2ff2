// Moved to src/text/quote.ts, where the generator and the emitter both take it from.
export * from "../text/quote.js";
