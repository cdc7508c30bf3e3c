import type { MethodDescription } from './types.js';

/** `get.available_virtual_numbers`: numbers a customer can connect (seed 000). */
export const availableVirtualNumbers = {
  method: 'get.available_virtual_numbers',
  typeName: 'AvailableNumber',
  listField: 'availableNumbers',
  description: 'A virtual number that can be connected to the account.',
  key: 'phone_number',
  columns: {
    phone_number: {
      type: 'string',
      description: 'The virtual number, digits only.',
      filterable: true,
      sortable: true,
    },
    category: {
      type: {
        kind: 'enum',
        name: 'NumberCategory',
        description: 'Price category of a virtual number.',
        values: ['usual', 'bronze', 'silver', 'gold'],
      },
      description: 'Price category of the number.',
      filterable: true,
      sortable: true,
    },
    location_mnemonic: {
      // An enum in the docs, whose values (region codes) are not listed.
      type: 'code',
      description: 'Region code, e.g. `msk`, `spb`.',
      filterable: true,
      sortable: true,
    },
    location_name: {
      type: 'string',
      description: 'Region name.',
      sortable: true,
    },
    onetime_payment: {
      type: 'float',
      description: 'One-time connection fee.',
    },
    monthly_charge: {
      type: 'float',
      description: 'Monthly fee.',
    },
    min_charge: {
      type: 'float',
      description: 'Minimum monthly bill.',
      sortable: true,
    },
  },
} as const satisfies MethodDescription<
  | 'phone_number'
  | 'category'
  | 'location_mnemonic'
  | 'location_name'
  | 'onetime_payment'
  | 'monthly_charge'
  | 'min_charge'
>;
