/** Comparing secrets (join tokens, agent credentials, bearer tokens) without leaking them by timing. */
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether `given` is the secret `expected`, in time that does not depend on where they differ or
 * on their lengths: both are reduced to SHA-256 digests (equal lengths) and compared with
 * `timingSafeEqual`. Use it for every token or credential a caller presents; never `===`.
 * An empty `expected` (no secret configured) matches nothing, not even an empty `given`.
 */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b) && expected.length > 0;
}

/**
 * Whether an `Authorization` header is `Bearer <expected>`, compared as `sameSecret` does.
 * A missing header, another scheme or an empty `expected` never match.
 */
export function isBearer(authorization: string | undefined, expected: string): boolean {
  return sameSecret(authorization ?? '', `Bearer ${expected}`) && expected.length > 0;
}
