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

/** The caller is who they say, and may not do this (403). The one 403: ids elsewhere answer 404. */
export type ForbiddenErrorCode =
  /** `POST /packages` for a `studentId` the parent token does not name. */
  'student_not_in_token';

/** Unknown ids (404). Another tenant's or family's ids answer these too, never 403. */
export type NotFoundErrorCode =
  | 'not_found'
  | 'teacher_not_found'
  | 'tier_not_found'
  | 'subject_not_found'
  | 'subject_not_taught'
  | 'student_not_found'
  | 'package_not_found'
  | 'session_not_found'
  | 'tenant_not_found'
  /** A time off id that is not the teacher's own (or does not exist). */
  | 'time_off_not_found'
  /** An external calendar (ICS feed) id that is not this teacher's. */
  | 'calendar_not_found';

/** The request was fine but the state refused it (409): someone else got there first, or a retry. */
export type ConflictErrorCode =
  | 'already_exists'
  | 'constraint_violation'
  | 'booking_overlap'
  | 'idempotency_key_reused'
  | 'slot_taken'
  | 'package_changed'
  | 'package_cancelled'
  /** Cancelling a package with nothing left to cancel: every session taught, no floating credit left. */
  | 'package_completed'
  | 'session_changed'
  | 'session_not_scheduled'
  | 'session_started'
  | 'session_not_started'
  | 'change_window_passed'
  | 'reschedule_limit_reached'
  | 'no_floating_sessions_left'
  /** A parent token asked for a student the school already gave to another guardian. */
  | 'student_of_other_guardian'
  /** Two rotations of one tenant's key raced; the other one won (its key is the live one). */
  | 'rotation_conflict'
  /** The hold lapsed before the payment was confirmed: its slots are free again (the partner refunds). */
  | 'hold_expired'
  /** The package is already confirmed with another `paymentReference`. */
  | 'payment_reference_conflict'
  /** Confirm or a pending-only action on a package that is not waiting for payment (cancelled, say). */
  | 'package_not_pending'
  /** A session change on a package whose payment is not confirmed yet. */
  | 'package_pending_payment'
  /** The parent already has the most unfinished (held, unpaid) purchases a tenant allows at once. */
  | 'too_many_open_purchases'
  /** `POST /teacher/sessions/:id/attendance` with another outcome than the one already recorded. */
  | 'attendance_recorded'
  /** The teacher already has the most external calendars a teacher may have. */
  | 'too_many_calendars';

/** Valid but impossible (422), including the scheduling core's own refusals. */
export type UnprocessableErrorCode =
  | 'not_available'
  | 'slot_not_available'
  | 'same_slot'
  | 'after_package_end'
  | 'package_expired'
  | 'unknown_reference'
  /** `POST /packages/:id/confirm` with an amount or currency other than the package's price. */
  | 'amount_mismatch'
  /** An external calendar URL this deployment will not fetch (not https in production, a private host). */
  | 'calendar_url_refused'
  /** What `api/core` throws as `SchedulingError` (always 422). */
  | SchedulingErrorCode;

/** An abuse limit is spent for now (429, with `Retry-After`). */
export type RateLimitErrorCode = 'rate_limited';

export type ServerErrorCode = 'internal_error';

export type ErrorCode =
  | RequestErrorCode
  | ForbiddenErrorCode
  | NotFoundErrorCode
  | ConflictErrorCode
  | UnprocessableErrorCode
  | RateLimitErrorCode
  | ServerErrorCode;

/**
 * Each code's one HTTP status, at run time: the OpenAPI document groups a route's codes by it. The
 * `satisfies` makes a code added to the union without a status, or a status for an unknown code,
 * fail to compile.
 */
export const ERROR_STATUS = {
  validation_error: 400,
  malformed_request: 400,
  payload_too_large: 413,
  invalid_text: 400,
  idempotency_key_required: 400,
  idempotency_key_mismatch: 400,
  unauthorized: 401,
  student_not_in_token: 403,
  not_found: 404,
  teacher_not_found: 404,
  tier_not_found: 404,
  subject_not_found: 404,
  subject_not_taught: 404,
  student_not_found: 404,
  package_not_found: 404,
  session_not_found: 404,
  tenant_not_found: 404,
  time_off_not_found: 404,
  calendar_not_found: 404,
  already_exists: 409,
  constraint_violation: 409,
  booking_overlap: 409,
  idempotency_key_reused: 409,
  slot_taken: 409,
  package_changed: 409,
  package_cancelled: 409,
  package_completed: 409,
  session_changed: 409,
  session_not_scheduled: 409,
  session_started: 409,
  session_not_started: 409,
  change_window_passed: 409,
  reschedule_limit_reached: 409,
  no_floating_sessions_left: 409,
  student_of_other_guardian: 409,
  rotation_conflict: 409,
  hold_expired: 409,
  payment_reference_conflict: 409,
  package_not_pending: 409,
  package_pending_payment: 409,
  too_many_open_purchases: 409,
  attendance_recorded: 409,
  too_many_calendars: 409,
  not_available: 422,
  slot_not_available: 422,
  same_slot: 422,
  after_package_end: 422,
  package_expired: 422,
  unknown_reference: 422,
  amount_mismatch: 422,
  calendar_url_refused: 422,
  invalid_timezone: 422,
  duplicate_pattern: 422,
  overlapping_patterns: 422,
  invalid_resolution: 422,
  invalid_time: 422,
  invalid_pattern: 422,
  invalid_duration: 422,
  invalid_weeks: 422,
  rate_limited: 429,
  internal_error: 500,
} as const satisfies Record<ErrorCode, 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 500>;

/** Every code, in the order above (a code listed twice cannot happen: it is an object key). */
export const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

/** The scheduling core's own refusals (all 422), as keys so the list must match the union exactly. */
const SCHEDULING_CODES = {
  invalid_timezone: true,
  duplicate_pattern: true,
  overlapping_patterns: true,
  invalid_resolution: true,
  invalid_time: true,
  invalid_pattern: true,
  invalid_duration: true,
  invalid_weeks: true,
} as const satisfies Record<SchedulingErrorCode, true>;

/** What any route that runs the scheduling core can answer besides its own codes. */
export const SCHEDULING_ERROR_CODES = Object.keys(SCHEDULING_CODES) as SchedulingErrorCode[];

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
