import { virtualNumberGroups } from '../api/index.js';
import { defineRowType } from './rowType.js';

/** `VirtualNumberGroup` and `Query.virtualNumberGroups`, from get.virtual_number_groups. */
export const VirtualNumberGroup = defineRowType(virtualNumberGroups);
