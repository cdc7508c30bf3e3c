/** The Data API's wire format for `get` methods (data-api.md). */
import type { ApiOperator } from './operators.js';

/** Paging limits the API enforces. */
export const API_LIMITS = {
  defaultLimit: 1000,
  maxLimit: 10_000,
  maxOffset: 100_000,
} as const;

export type FilterValue = string | number | boolean | null | readonly (string | number)[];

export interface SimpleFilter {
  readonly field: string;
  readonly operator: ApiOperator;
  readonly value?: FilterValue;
}

export interface FilterTree {
  readonly filters: readonly ApiFilter[];
  readonly condition: 'and' | 'or';
}

export type ApiFilter = SimpleFilter | FilterTree;

export interface ApiSort {
  readonly field: string;
  readonly order: 'asc' | 'desc';
}

/** Session methods (data-api.md, "Auth"); every other method is a described `get.*`. */
export const LOGIN_METHOD = 'login.user';
export const LOGOUT_METHOD = 'logout.user';

/** The params each kind of method takes, by their wire names. */
export const QUERY_PARAMS = ['limit', 'offset', 'filter', 'sort', 'fields'] as const;
export const METHOD_PARAMS = {
  get: ['access_token', 'user_id', ...QUERY_PARAMS],
  login: ['login', 'password'],
  logout: ['access_token'],
} as const;

/** Params of a `get.*` call, less `access_token` (added by the client). */
export interface GetParams {
  readonly user_id?: number;
  readonly limit?: number;
  readonly offset?: number;
  readonly filter?: ApiFilter;
  readonly sort?: readonly ApiSort[];
  readonly fields?: readonly string[];
}

export interface RateLimits {
  readonly day_limit: number;
  readonly day_remaining: number;
  readonly day_reset: number;
  readonly minute_limit: number;
  readonly minute_remaining: number;
  readonly minute_reset: number;
}

export interface ApiVersionInfo {
  readonly current_version_deprecated: boolean;
  readonly current_version: string;
  readonly latest_version: string;
}

export interface Metadata {
  readonly total_items?: number;
  readonly limits?: RateLimits;
  readonly api_version?: ApiVersionInfo;
}

export type Row = Readonly<Record<string, unknown>>;

export interface GetResult {
  readonly metadata: Metadata;
  readonly data: readonly Row[];
}

/** `error` member of a JSON-RPC error reply. */
export interface ApiErrorObject {
  readonly code: number;
  readonly message: string;
  readonly data?: {
    readonly mnemonic?: string;
    readonly field?: string;
    readonly value?: unknown;
    readonly params?: Readonly<Record<string, unknown>>;
    readonly extended_helper?: string;
    readonly metadata?: Metadata;
  };
}
