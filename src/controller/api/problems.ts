/**
 * Rendering errors as JSON problems (RFC 9457, `application/problem+json`), the one shape every
 * API error takes. Typed Wharf errors keep their code and message; fastify's own request errors are
 * mapped onto the catalogue; anything else is an internal error whose details stay in the log.
 */
import type { FieldError } from '../../model/errors.js';
import type { ErrorCode } from '../../model/errors.js';
import { ERROR_CATALOGUE, WharfError, wharfError } from '../../model/errors.js';

/** The body of every error response. */
export interface Problem {
  readonly type: 'about:blank';
  readonly code: string;
  /** AWS's name for the error, where AWS has one (`AccessDenied`). */
  readonly awsCode?: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly errors?: readonly FieldError[];
  readonly requestId: string;
}

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message?: string;
}

/**
 * Maps any thrown value to a WharfError. `known` is false for errors Wharf did not anticipate;
 * the caller logs those with their stack.
 */
export function toWharfError(error: unknown, context: { requestId: string; bodyLimit: number; contentType: string }): { error: WharfError; known: boolean } {
  if (error instanceof WharfError) return { error, known: true };
  const e = (error ?? {}) as FastifyLikeError;
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { error: wharfError('WHARF_E_BODY_TOO_LARGE', { limit: context.bodyLimit }), known: true };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { error: wharfError('WHARF_E_UNSUPPORTED_MEDIA_TYPE', { contentType: context.contentType || '(none)' }), known: true };
  }
  return { error: wharfError('WHARF_E_INTERNAL', { requestId: context.requestId }, { cause: error }), known: false };
}

/** The problem body for an error. */
/** `{ awsCode }` for a code AWS has a name for, else nothing. */
function awsCodeOf(code: ErrorCode): { awsCode?: string } {
  const spec = ERROR_CATALOGUE[code] as { readonly aws?: string };
  return spec.aws === undefined ? {} : { awsCode: spec.aws };
}

export function problemOf(error: WharfError, requestId: string): Problem {
  return {
    type: 'about:blank',
    code: error.code,
    ...awsCodeOf(error.code),
    title: error.title,
    status: error.status,
    detail: error.message,
    ...(error.errors.length > 0 ? { errors: error.errors } : {}),
    requestId,
  };
}
