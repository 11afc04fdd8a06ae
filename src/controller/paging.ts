/**
 * Page tokens: opaque to clients (as in the AWS APIs), a base64url JSON cursor inside. A token that
 * was not made here is a validation error naming the `nextToken` field.
 */
import { wharfError } from '../model/errors.js';

/** Wraps a cursor (the last key of a page) into a token. */
export function encodePageToken(cursor: string | number): string {
  return Buffer.from(JSON.stringify({ c: cursor })).toString('base64url');
}

/** Unwraps a token made by `encodePageToken` with a cursor of the expected type. */
export function decodePageToken<T extends 'string' | 'number'>(token: string, type: T): T extends 'string' ? string : number {
  try {
    const cursor = (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { c?: unknown }).c;
    if (typeof cursor === type) return cursor as T extends 'string' ? string : number;
  } catch {
    // not JSON: reported below
  }
  throw wharfError(
    'WHARF_E_VALIDATION',
    { summary: 'The nextToken is not one this API returned' },
    { errors: [{ field: 'nextToken', message: 'Pass the nextToken from the previous page unchanged, or leave it out for the first page' }] },
  );
}

/**
 * One page, newest first, of rows numbered by `id` (events, audit records): `query` is asked for
 * `limit + 1` rows before the token's cursor, so one row more than the page says another follows.
 */
export async function pageById<R extends { readonly id: number }, V>(
  nextToken: string | undefined,
  limit: number,
  query: (beforeId: number | undefined, limit: number) => Promise<R[]>,
  view: (row: R) => V,
): Promise<{ items: V[]; nextToken?: string }> {
  const beforeId = nextToken === undefined ? undefined : decodePageToken(nextToken, 'number');
  const found = await query(beforeId, limit + 1);
  const page = found.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(view), ...(found.length > limit && last ? { nextToken: encodePageToken(last.id) } : {}) };
}
