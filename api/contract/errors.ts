/**
 * Every error the API can answer, as `{ "error": { "code", "message", "details" } }`.
 *
 * This file depends on nothing but the core's own codes (no Hono, no zod): the routes throw `ApiError`, the widget
 * reads `ErrorBody` and switches on `ErrorCode`, and a code that is not listed here does not
 * compile anywhere.
 */
import type { SchedulingErrorCode } from '../core/errors.js';

export type { SchedulingErrorCode };

/** Codes of malformed requests (400) and authentication (401). */
export type RequestErrorCode =
  | 'validation_error'
  | 'malformed_request'
  /** Text that is not well-formed Unicode: invalid UTF-8, a lone surrogate, a bad percent-escape. */
  | 'invalid_text'
  | 'payload_too_large'
  | 'idempotency_key_required'
  | 'idempotency_key_mismatch'
  | 'unauthorized';

/** Unknown ids (404). Another tenant's or family's ids answer these too, never 403. */
export type NotFoundErrorCode =
  | 'not_found'
  | 'teacher_not_found'
  | 'tier_not_found'
  | 'subject_not_found'
  | 'subject_not_taught'
  | 'student_not_found'
  | 'package_not_found'
  | 'session_not_found';

/** The request was fine but the state refused it (409): someone else got there first, or a retry. */
export type ConflictErrorCode =
  | 'already_exists'
  | 'constraint_violation'
  | 'booking_overlap'
  | 'idempotency_key_reused'
  | 'slot_taken'
  | 'package_changed'
  | 'package_cancelled'
  | 'session_changed'
  | 'session_not_scheduled'
  | 'session_started'
  | 'session_not_started'
  | 'change_window_passed'
  | 'reschedule_limit_reached'
  | 'no_floating_sessions_left';

/** Valid but impossible (422), including the scheduling core's own refusals. */
export type UnprocessableErrorCode =
  | 'not_available'
  | 'slot_not_available'
  | 'same_slot'
  | 'after_package_end'
  | 'package_expired'
  | 'unknown_reference'
  /** What `api/core` throws as `SchedulingError` (always 422). */
  | SchedulingErrorCode;

export type ServerErrorCode = 'internal_error';

export type ErrorCode =
  | RequestErrorCode
  | NotFoundErrorCode
  | ConflictErrorCode
  | UnprocessableErrorCode
  | ServerErrorCode;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details: unknown };
}

/** An expected failure with its HTTP status; the app's `onError` renders it as `ErrorBody`. */
export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429,
    readonly code: ErrorCode,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function errorBody(code: ErrorCode, message: string, details: unknown = null): ErrorBody {
  return { error: { code, message, details } };
}
