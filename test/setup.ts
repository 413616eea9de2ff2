// The generator loads its retargeting pass with require() when a unit first needs it, which
// works in the bundle; node's require() cannot load the TypeScript sources the tests run, so
// the tests hand the pass over instead.
import { provideRetargeter } from "../src/generator/index.js";
import { retargetService } from "../src/target/retarget.js";

provideRetargeter(retargetService);
