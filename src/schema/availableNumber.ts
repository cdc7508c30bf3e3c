import { availableVirtualNumbers } from '../api/index.js';
import { defineRowType } from './rowType.js';

/** `AvailableNumber` and `Query.availableNumbers`, from get.available_virtual_numbers. */
export const AvailableNumber = defineRowType(availableVirtualNumbers);
