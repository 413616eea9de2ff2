/**
 * .network units: [Network] → networkNAME-network.service. (Not yet implemented.)
 */
import { ConvertError } from "./model.js";
import type { UnitType } from "./unit-type.js";

export const networkType: UnitType = {
  extension: ".network",
  group: "Network",
  serviceSuffix: "-network",
  keys: [],
  convert() {
    throw new ConvertError(".network units are not supported yet");
  },
};
