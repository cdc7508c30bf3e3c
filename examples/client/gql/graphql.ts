/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Price category of a virtual number. */
export type NumberCategory =
  /** `bronze` in the Data API. */
  | 'BRONZE'
  /** `gold` in the Data API. */
  | 'GOLD'
  /** `silver` in the Data API. */
  | 'SILVER'
  /** `usual` in the Data API. */
  | 'USUAL';

export type RegionNumbersQueryVariables = Exact<{
  region: string;
  first: number;
  after?: string | null | undefined;
}>;


export type RegionNumbersQuery = { availableNumbers: { totalCount: number, nodes: Array<{ phoneNumber: string, category: NumberCategory | null, minCharge: number | null }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const RegionNumbersDocument = new TypedDocumentString(`
    query RegionNumbers($region: String!, $first: Int!, $after: String) {
  availableNumbers(
    first: $first
    after: $after
    filter: {locationMnemonic: {eq: $region}}
    orderBy: [{field: PHONE_NUMBER}]
  ) {
    totalCount
    nodes {
      phoneNumber
      category
      minCharge
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `, {"hash":"sha256:ae7f17e710f5ee43c990a7db43e7193112563f202d9964aa4fa6d9374dd0d123"}) as unknown as TypedDocumentString<RegionNumbersQuery, RegionNumbersQueryVariables>;