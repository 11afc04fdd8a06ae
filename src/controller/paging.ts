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
