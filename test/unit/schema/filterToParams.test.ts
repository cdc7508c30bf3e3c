import { describe, expect, it } from 'vitest';
import { run } from '../../helpers/fakeClient.js';

// Through the schema, so outside the mutation run's test set (it builds the
// whole schema on import): translate/filterEmptyLists.test.ts covers the
// translation itself.
describe('filter argument → filter param', () => {
  it('sends no null for an empty and list beside another condition', async () => {
    const { result, calls } = await run(
      '{ availableNumbers(filter: { and: [], phoneNumber: { eq: "x" } }) { totalCount } }',
    );
    expect(result.errors).toBeUndefined();
    expect(calls.map((call) => call.params.filter)).toStrictEqual([
      { field: 'phone_number', operator: '=', value: 'x' },
    ]);
  });
});
