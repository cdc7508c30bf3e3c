/**
 * Deterministic seeded tables behind the emulated `get` methods. Row shapes are
 * typed from the method descriptions (`RowOf`), so a column added there fails
 * to compile here until it is generated.
 */
import { availableVirtualNumbers, virtualNumberGroups } from '../api/index.js';
import type { Row } from '../api/wire.js';
import { createRandom } from './random.js';
import type { Random } from './random.js';
import type { RowOf } from './rows.js';

export type AvailableNumberRow = RowOf<typeof availableVirtualNumbers>;
export type VirtualNumberGroupRow = RowOf<typeof virtualNumberGroups>;
type Category = (typeof availableVirtualNumbers.columns.category.type.values)[number];

export const DATA_SEED = 20_240_601;
export const AVAILABLE_NUMBER_COUNT = 3000;
export const GROUP_COUNT = 40;

export interface Region {
  readonly mnemonic: string;
  readonly name: string;
  readonly areaCodes: readonly string[];
  /** Relative share of the numbers on offer. */
  readonly weight: number;
  /** Fees scale with the region. */
  readonly priceFactor: number;
}

export const REGIONS: readonly Region[] = [
  { mnemonic: 'msk', name: 'Moscow', areaCodes: ['495', '499'], weight: 30, priceFactor: 1.5 },
  { mnemonic: 'spb', name: 'Saint Petersburg', areaCodes: ['812'], weight: 18, priceFactor: 1.25 },
  { mnemonic: 'ekb', name: 'Yekaterinburg', areaCodes: ['343'], weight: 10, priceFactor: 1 },
  { mnemonic: 'nsk', name: 'Novosibirsk', areaCodes: ['383'], weight: 9, priceFactor: 1 },
  { mnemonic: 'kzn', name: 'Kazan', areaCodes: ['843'], weight: 9, priceFactor: 1 },
  { mnemonic: 'nnv', name: 'Nizhny Novgorod', areaCodes: ['831'], weight: 8, priceFactor: 0.9 },
  { mnemonic: 'krd', name: 'Krasnodar', areaCodes: ['861'], weight: 8, priceFactor: 0.9 },
  { mnemonic: 'sam', name: 'Samara', areaCodes: ['846'], weight: 8, priceFactor: 0.85 },
];

interface CategoryPricing {
  readonly weight: number;
  readonly onetime: number;
  readonly monthly: number;
  /** Length of the run of equal trailing digits that makes the number "beautiful". */
  readonly repeatedTail: number;
}

// Keyed by the description's enum: a category added there must be priced here.
const PRICING: Readonly<Record<Category, CategoryPricing>> = {
  usual: { weight: 62, onetime: 0, monthly: 290, repeatedTail: 0 },
  bronze: { weight: 22, onetime: 990, monthly: 590, repeatedTail: 2 },
  silver: { weight: 11, onetime: 4900, monthly: 1190, repeatedTail: 4 },
  gold: { weight: 5, onetime: 19_900, monthly: 2990, repeatedTail: 5 },
};

const LOCATION_NAME_NULL_SHARE = 0.03;
const MIN_CHARGE_NULL_SHARE = 0.15;

function money(amount: number): number {
  return Math.round(amount * 100) / 100;
}

function digits(random: Random, count: number): string {
  let out = '';
  for (let i = 0; i < count; i += 1) out += String(random.int(0, 9));
  return out;
}

/** 11 digits: country 7, the region's area code, a 7-digit subscriber part. */
function phoneNumber(random: Random, region: Region, repeatedTail: number): string {
  const head = String(random.int(2, 9)) + digits(random, 6 - repeatedTail);
  const tail = String(random.int(0, 9)).repeat(repeatedTail);
  return `7${random.pick(region.areaCodes)}${head}${tail}`;
}

export function generateAvailableNumbers(seed = DATA_SEED): AvailableNumberRow[] {
  const random = createRandom(seed);
  const categories = availableVirtualNumbers.columns.category.type.values;
  const seen = new Set<string>();
  const rows: AvailableNumberRow[] = [];
  while (rows.length < AVAILABLE_NUMBER_COUNT) {
    const region = random.weighted(REGIONS, (r) => r.weight);
    const category = random.weighted(categories, (c) => PRICING[c].weight);
    const pricing = PRICING[category];
    const phone = phoneNumber(random, region, pricing.repeatedTail);
    if (seen.has(phone)) continue;
    seen.add(phone);
    const monthly = money(pricing.monthly * region.priceFactor);
    rows.push({
      phone_number: phone,
      category,
      location_mnemonic: region.mnemonic,
      location_name: random.chance(LOCATION_NAME_NULL_SHARE) ? null : region.name,
      onetime_payment: money(pricing.onetime * region.priceFactor),
      monthly_charge: monthly,
      min_charge: random.chance(MIN_CHARGE_NULL_SHARE)
        ? null
        : money(monthly * random.pick([1, 1.5, 2])),
    });
  }
  // Without `sort` the API's order is unspecified; key order keeps paging stable.
  return rows.sort((a, b) => ((a.phone_number ?? '') < (b.phone_number ?? '') ? -1 : 1));
}

const GROUP_TOPICS = [
  'Sales',
  'Support',
  'Billing',
  'Marketing campaign',
  'Call center',
  'Partners',
  'Night shift',
  'Отдел продаж',
  'Техподдержка',
];
const FIRST_NAMES = ['Anna', 'Boris', 'Elena', 'Igor', 'Maria', 'Oleg', 'Olga', 'Pavel', 'Irina'];
const LAST_NAMES = ['Ivanova', 'Petrov', 'Smirnova', 'Kuznetsov', 'Popova', 'Sokolov', 'Orlova'];
const EMPLOYEE_GROUP_NAMES = [
  'Inbound',
  'Outbound',
  'VIP desk',
  'Retention',
  'Onboarding',
  'Escalations',
  'Дежурные',
];
const GROUP_NAME_NULL_SHARE = 0.08;

interface Pools {
  readonly employees: readonly { id: number; full_name: string }[];
  readonly employeeGroups: readonly { id: number; name: string }[];
}

function pools(random: Random): Pools {
  const employees = Array.from({ length: 60 }, (_, i) => ({
    id: 10_001 + i * 3,
    full_name: `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`,
  }));
  const employeeGroups = EMPLOYEE_GROUP_NAMES.map((name, i) => ({ id: 501 + i, name }));
  return { employees, employeeGroups };
}

/** `count` distinct items, in pool order. */
function sample<T>(random: Random, pool: readonly T[], count: number): T[] {
  const chosen = new Set<number>();
  while (chosen.size < Math.min(count, pool.length)) chosen.add(random.int(0, pool.length - 1));
  return [...chosen].sort((a, b) => a - b).flatMap((i) => pool.slice(i, i + 1));
}

export function generateVirtualNumberGroups(seed = DATA_SEED): VirtualNumberGroupRow[] {
  const random = createRandom(seed + 1);
  const { employees, employeeGroups } = pools(random);
  const usedPhones = new Set<string>();
  let groupId = 300;
  let phoneId = 90_000;
  const rows: VirtualNumberGroupRow[] = [];
  for (let i = 1; i <= GROUP_COUNT; i += 1) {
    // Gaps: ids are unique but not contiguous, as after deletions.
    groupId += random.int(1, 9);
    const region = random.pick(REGIONS);
    const phones: { id: number; number: string }[] = [];
    const phoneCount = random.int(0, 5);
    while (phones.length < phoneCount) {
      const number = phoneNumber(random, region, 0);
      if (usedPhones.has(number)) continue;
      usedPhones.add(number);
      phoneId += random.int(1, 4);
      phones.push({ id: phoneId, number });
    }
    rows.push({
      id: groupId,
      name: random.chance(GROUP_NAME_NULL_SHARE)
        ? null
        : `${random.pick(GROUP_TOPICS)} ${region.name} ${i}`,
      number: `g${i}`,
      employees: sample(random, employees, random.int(0, 4)),
      employee_groups: sample(random, employeeGroups, random.int(0, 3)),
      virtual_phones: phones,
    });
  }
  return rows;
}

/** Every emulated `get` method's rows, by JSON-RPC method name. */
export function generateTables(seed = DATA_SEED): ReadonlyMap<string, readonly Row[]> {
  return new Map<string, readonly Row[]>([
    [availableVirtualNumbers.method, generateAvailableNumbers(seed)],
    [virtualNumberGroups.method, generateVirtualNumberGroups(seed)],
  ]);
}

export const TABLES = generateTables();
