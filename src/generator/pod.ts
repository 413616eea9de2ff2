/**
 * .pod units: [Pod] → podNAME-pod.service. (Not yet implemented.)
 */
import { ConvertError } from "./model.js";
import type { UnitType } from "./unit-type.js";

export const podType: UnitType = {
  extension: ".pod",
  group: "Pod",
  serviceSuffix: "-pod",
  keys: [],
  convert() {
    throw new ConvertError(".pod units are not supported yet");
  },
};
