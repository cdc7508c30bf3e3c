import type { MethodDescription } from './types.js';

/** `get.virtual_number_groups`: groups of connected numbers (seed 003). */
export const virtualNumberGroups = {
  method: 'get.virtual_number_groups',
  typeName: 'VirtualNumberGroup',
  listField: 'virtualNumberGroups',
  description: 'A group of virtual numbers connected to the account.',
  key: 'id',
  columns: {
    id: {
      type: 'int',
      description: 'Numeric id of the group in the Data API.',
      filterable: true,
      sortable: true,
      // `id` is the relay global id; the API's id is exposed beside it.
      graphqlName: 'databaseId',
    },
    name: {
      type: 'string',
      description: 'Group name.',
      filterable: true,
      sortable: true,
    },
    number: {
      type: 'string',
      description: 'Group code: g1, g2, ...',
      filterable: true,
      sortable: true,
    },
    employees: {
      type: {
        kind: 'objectList',
        name: 'VirtualNumberGroupEmployee',
        description: 'An employee attached to a virtual number group.',
        fields: {
          id: { type: 'int', key: true, description: 'Employee id (see get.employees).' },
          full_name: { type: 'string', description: 'Employee full name.' },
        },
      },
      description: 'Employees attached to the group.',
    },
    employee_groups: {
      type: {
        kind: 'objectList',
        name: 'VirtualNumberGroupEmployeeGroup',
        description: 'An employee group attached to a virtual number group.',
        fields: {
          id: {
            type: 'int',
            key: true,
            description: 'Employee group id (see get.group_employees).',
          },
          name: { type: 'string', description: 'Employee group name.' },
        },
      },
      description: 'Employee groups attached to the group.',
    },
    virtual_phones: {
      type: {
        kind: 'objectList',
        name: 'VirtualNumberGroupVirtualPhone',
        description: 'A virtual number belonging to a virtual number group.',
        fields: {
          id: {
            type: 'int',
            key: true,
            description: 'Virtual number id (see get.virtual_numbers).',
          },
          number: { type: 'string', description: 'The virtual number.' },
        },
      },
      description: 'Virtual numbers in the group.',
    },
  },
} as const satisfies MethodDescription<
  'id' | 'name' | 'number' | 'employees' | 'employee_groups' | 'virtual_phones'
>;
