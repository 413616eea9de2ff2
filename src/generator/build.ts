/**
 * .build units: [Build] → buildNAME-build.service. (Not yet implemented.)
 */
import { ConvertError } from "./model.js";
import type { UnitType } from "./unit-type.js";

export const buildType: UnitType = {
  extension: ".build",
  group: "Build",
  serviceSuffix: "-build",
  keys: [],
  convert() {
    throw new ConvertError(".build units are not supported yet");
  },
};
