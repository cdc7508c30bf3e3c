import { describe, expect, it } from 'vitest';
import { METHODS, availableVirtualNumbers, virtualNumberGroups } from '../../../src/api/index.js';
import type { ColumnType } from '../../../src/api/types.js';
import { isEnumType, isObjectListType } from '../../../src/api/types.js';
import {
  AVAILABLE_NUMBER_COUNT,
  GROUP_COUNT,
  REGIONS,
  TABLES,
  generateAvailableNumbers,
  generateTables,
  generateVirtualNumberGroups,
} from '../../../src/emulator/data.js';

const numbers = generateAvailableNumbers();
const groups = generateVirtualNumberGroups();

/** Does a cell hold a value of the described type (null allowed for scalars)? */
function fits(type: ColumnType, cell: unknown): boolean {
  if (isObjectListType(type)) {
    return (
      Array.isArray(cell) &&
      cell.every(
        (item: unknown) =>
          typeof item === 'object' &&
          item !== null &&
          Object.keys(item).join() === Object.keys(type.fields).join() &&
          Object.entries(type.fields).every(([name, field]) =>
            fits(field.type, (item as Record<string, unknown>)[name]),
          ),
      )
    );
  }
  if (cell === null) return true;
  if (isEnumType(type)) return typeof cell === 'string' && type.values.includes(cell);
  if (type === 'string' || type === 'code') return typeof cell === 'string';
  if (type === 'int') return Number.isInteger(cell);
  return typeof cell === 'number' && Number.isFinite(cell);
}

describe('seeded data', () => {
  it('is the same on every generation', () => {
    expect(generateTables()).toEqual(generateTables());
    expect(generateTables()).toEqual(TABLES);
    expect(generateTables(7)).not.toEqual(TABLES);
  });

  it('has a table for every described method, rows matching its columns', () => {
    const mismatches: string[] = [];
    for (const [name, method] of METHODS) {
      const rows = TABLES.get(name);
      expect(rows, name).toBeDefined();
      const columns = Object.entries(method.columns);
      for (const row of rows ?? []) {
        if (Object.keys(row).join() !== Object.keys(method.columns).join()) {
          mismatches.push(`${name}: columns ${Object.keys(row).join()}`);
        }
        for (const [column, spec] of columns) {
          if (!fits(spec.type, row[column])) {
            mismatches.push(`${name}.${column} = ${JSON.stringify(row[column])}`);
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});

describe('available numbers', () => {
  it('has the expected size and unique 11-digit numbers', () => {
    expect(numbers).toHaveLength(AVAILABLE_NUMBER_COUNT);
    expect(new Set(numbers.map((n) => n.phone_number)).size).toBe(AVAILABLE_NUMBER_COUNT);
    for (const n of numbers) expect(n.phone_number).toMatch(/^7\d{10}$/);
  });

  it('covers every region and category, usual most common and gold rarest', () => {
    expect(new Set(numbers.map((n) => n.location_mnemonic))).toEqual(
      new Set(REGIONS.map((r) => r.mnemonic)),
    );
    const counts = new Map<unknown, number>();
    for (const n of numbers) counts.set(n.category, (counts.get(n.category) ?? 0) + 1);
    const categories = availableVirtualNumbers.columns.category.type.values;
    expect(new Set(counts.keys())).toEqual(new Set(categories));
    const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([c]) => c);
    expect(sorted[0]).toBe('usual');
    expect(sorted.at(-1)).toBe('gold');
  });

  it('uses the region area code and name', () => {
    for (const n of numbers) {
      const region = REGIONS.find((r) => r.mnemonic === n.location_mnemonic);
      expect(region?.areaCodes).toContain(n.phone_number?.slice(1, 4));
      if (n.location_name !== null) expect(n.location_name).toBe(region?.name);
    }
  });

  it('has some null location names and minimum charges', () => {
    const nullNames = numbers.filter((n) => n.location_name === null).length;
    expect(nullNames).toBeGreaterThan(0);
    expect(nullNames).toBeLessThan(AVAILABLE_NUMBER_COUNT * 0.1);
    expect(numbers.some((n) => n.min_charge === null)).toBe(true);
  });

  it('prices rise with the category', () => {
    const moscow = (category: string) =>
      numbers.find((n) => n.category === category && n.location_mnemonic === 'msk');
    const monthly = ['usual', 'bronze', 'silver', 'gold'].map((c) => moscow(c)?.monthly_charge);
    expect([...monthly].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(monthly);
  });
});

describe('virtual number groups', () => {
  it('has unique ids and codes g1, g2, ...', () => {
    expect(groups).toHaveLength(GROUP_COUNT);
    expect(new Set(groups.map((g) => g.id)).size).toBe(GROUP_COUNT);
    expect(groups.map((g) => g.number)).toEqual(groups.map((_, i) => `g${i + 1}`));
  });

  it('has ids with gaps, a few null names and some empty lists', () => {
    const idList = groups.map((g) => g.id ?? 0);
    expect(idList.at(-1)).toBeGreaterThan((idList[0] ?? 0) + GROUP_COUNT);
    expect(groups.some((g) => g.name === null)).toBe(true);
    expect(groups.filter((g) => g.name === null).length).toBeLessThan(GROUP_COUNT / 4);
    expect(groups.some((g) => g.virtual_phones.length === 0)).toBe(true);
    expect(groups.some((g) => g.employees.length === 0)).toBe(true);
    expect(groups.some((g) => g.employee_groups.length === 0)).toBe(true);
    expect(Math.max(...groups.map((g) => g.virtual_phones.length))).toBeLessThanOrEqual(5);
  });

  it('never shares a virtual phone between groups', () => {
    const phones = groups.flatMap((g) => g.virtual_phones);
    expect(new Set(phones.map((p) => p.id)).size).toBe(phones.length);
    expect(new Set(phones.map((p) => p.number)).size).toBe(phones.length);
  });

  it('is the table served for its method', () => {
    expect(TABLES.get(virtualNumberGroups.method)).toEqual(groups);
  });
});
