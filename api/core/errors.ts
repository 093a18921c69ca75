/**
 * The one error type the core throws for bad input. `code` is stable and machine-readable (the
 * routes map it to an HTTP 4xx body); `message` is for people; `details` points at the offending
 * part of the request.
 */
export type SchedulingErrorCode =
  | 'invalid_timezone'
  | 'duplicate_pattern'
  | 'overlapping_patterns'
  | 'invalid_resolution'
  | 'invalid_time'
  | 'invalid_pattern'
  | 'invalid_duration'
  | 'invalid_weeks';

export class SchedulingError extends Error {
  constructor(
    public code: SchedulingErrorCode,
    message: string,
    public details: unknown = null,
  ) {
    super(message);
    this.name = 'SchedulingError';
  }
}
