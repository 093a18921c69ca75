import type { Context, ErrorHandler, NotFoundHandler, TypedResponse } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { SchedulingError } from '../core/index.js';
import { ApiError, errorBody, type ErrorCode } from '../contract/errors.js';

interface IssueLike {
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
  message: string;
  code?: string;
}

/**
 * Validator hook: a failed validation becomes a 400 with every issue listed. Takes both hook shapes:
 * `@hono/zod-validator` passes a ZodError, hono-openapi's (Standard Schema) validator the issue list.
 */
export function onInvalid(result: { success: boolean; target: string; error?: unknown }): void {
  if (result.success) return;
  const raw: readonly IssueLike[] = Array.isArray(result.error)
    ? result.error
    : ((result.error as { issues?: IssueLike[] } | undefined)?.issues ?? []);
  const issues = raw.map((issue) => ({
    path: (issue.path ?? []).map((part) => String(typeof part === 'object' ? part.key : part)).join('.'),
    message: issue.message,
    code: issue.code ?? 'custom',
  }));
  const first = issues[0];
  throw new ApiError(
    400,
    'validation_error',
    first
      ? `Invalid ${result.target}: ${first.path ? `${first.path}: ` : ''}${first.message}`
      : `Invalid ${result.target}`,
    { target: result.target, issues },
  );
}

export const handleError: ErrorHandler = (err, c) => {
  if (err instanceof ApiError)
    return c.json(errorBody(err.code, err.message, err.details), err.status as ContentfulStatusCode);
  if (err instanceof SchedulingError) return c.json(errorBody(err.code, err.message, err.details), 422);
  if (err instanceof HTTPException) {
    // Hono raises these for malformed bodies (e.g. invalid JSON) before our validators run.
    const status = err.status >= 500 ? 500 : err.status;
    const code: ErrorCode =
      status === 401
        ? 'unauthorized'
        : status === 404
          ? 'not_found'
          : status === 413
            ? 'payload_too_large'
            : status >= 500
              ? 'internal_error'
              : 'malformed_request';
    return c.json(errorBody(code, err.message || 'Malformed request'), status as ContentfulStatusCode);
  }
  console.error('unhandled error', err);
  return c.json(errorBody('internal_error', 'Something went wrong on our side; nothing was changed.'), 500);
};

export const handleNotFound: NotFoundHandler = (c) =>
  c.json(errorBody('not_found', `No route for ${c.req.method} ${new URL(c.req.url).pathname}`), 404);

/**
 * A JSON body serialized once and served many times (a memoised grid). Typed like `c.json`, so
 * `hono/client` still infers the response shape.
 */
export function jsonText<T>(c: Context, text: string): Response & TypedResponse<T, 200, 'json'> {
  const response: Response = c.body(text, 200, { 'content-type': 'application/json' });
  return response as Response & TypedResponse<T, 200, 'json'>;
}
