import { z } from 'zod';
import { WEEKDAYS } from '../core/types.js';

/** Ids are UUIDs for rows created over the API and readable slugs for seeded demo rows. */
export const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, "-" or "_"');
export const weekday = z.enum(WEEKDAYS);
export const time = z.string().regex(/^([01]\d|2[0-3]):([0-5]\d)$/, 'Time must be in HH:mm format (e.g., 17:00)');
export const endTime = z.string().regex(/^(([01]\d|2[0-3]):([0-5]\d)|24:00)$/, 'Time must be HH:mm (24:00 allowed)');
// Years 2000-2099 only: far enough for any booking, and date arithmetic stays in four digits.
export const localDate = z.iso.date().refine((d) => d >= '2000-01-01' && d <= '2099-12-31', 'must be between 2000 and 2099');
export const instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString());

export const recurringPattern = z.strictObject({ weekday, time });
export const recurringPatterns = z
  .array(recurringPattern)
  .min(1, 'At least one recurring pattern is required')
  .max(4, 'Maximum 4 recurring patterns allowed');

export const resolution = z.discriminatedUnion('action', [
  z.strictObject({ date: localDate, time, action: z.enum(['extend', 'float']) }),
  z.strictObject({
    date: localDate,
    time,
    action: z.literal('alternative'),
    alternative: z.strictObject({ date: localDate, time }),
  }),
]);
export const resolutions = z.array(resolution).max(200);

export const teacherParam = z.strictObject({ teacherId: id });
export const idParam = z.strictObject({ id });

export const weeklyAvailabilityQuery = z.strictObject({
  subjectId: id.optional(),
  tierId: id.optional(),
  weeks: z.coerce.number().int().min(1).max(26).default(8),
  duration: z.coerce.number().int().min(15).max(240).optional(),
});

export const tiersQuery = z.strictObject({ subjectId: id.optional() });

export const checkMultiSlot = z
  .strictObject({
    teacherId: id,
    subjectId: id.optional(),
    tierId: id.optional(),
    patterns: recurringPatterns,
    recurringSessionCount: z.number().int().min(1).max(100).optional(),
    duration: z.number().int().min(30).max(240).optional(),
    resolutions: resolutions.optional(),
  })
  .refine((body) => body.tierId !== undefined || body.recurringSessionCount !== undefined, {
    message: 'Give tierId or recurringSessionCount',
    path: ['recurringSessionCount'],
  })
  // The purchase takes the count and the session length from the tier; a check that let them differ
  // would show sessions the purchase then does not book.
  .refine((body) => body.tierId === undefined || body.recurringSessionCount === undefined, {
    message: 'With tierId the tier sets the session count; leave recurringSessionCount out',
    path: ['recurringSessionCount'],
  })
  .refine((body) => body.tierId === undefined || body.duration === undefined, {
    message: 'With tierId the tier sets the session length; leave duration out',
    path: ['duration'],
  });

export const purchase = z
  .strictObject({
    studentId: id,
    teacherId: id,
    subjectId: id,
    tierId: id,
    recurringPatterns: recurringPatterns.optional(),
    /** @deprecated single-slot clients; converted to one recurring pattern. */
    recurringWeekday: weekday.optional(),
    /** @deprecated single-slot clients; converted to one recurring pattern. */
    recurringTime: time.optional(),
    resolutions: resolutions.optional(),
    idempotencyKey: z.string().min(8).max(200).optional(),
  })
  .refine((body) => (body.recurringPatterns === undefined) !== (body.recurringWeekday === undefined), {
    message: 'Give either recurringPatterns or the legacy recurringWeekday + recurringTime, not both',
    path: ['recurringPatterns'],
  })
  .refine((body) => (body.recurringWeekday === undefined) === (body.recurringTime === undefined), {
    message: 'recurringWeekday and recurringTime go together',
    path: ['recurringTime'],
  });

export const idempotencyHeader = z.object({
  'idempotency-key': z.string().min(8).max(200).optional(),
});

export type PurchaseBody = z.infer<typeof purchase>;
