import { Hono } from 'hono';
import { actingTenant, authenticate, requireAdmin, type AuthEnv } from './auth.js';
import { validator } from 'hono-openapi';
import type { AppDeps } from '../deps.js';
import {
  adminGetTeacher,
  adminListTeachers,
  createdTeacher,
  createTeacherStatements,
  isDuplicateTeacher,
  insertRule,
  listRules,
  listTimeOff,
  replaceRulesStatements,
  saveTeacherStatements,
} from '../db/repositories/admin.js';
import { insertSingleBooking } from '../db/repositories/bookings.js';
import { listEscrowEntries } from '../db/repositories/escrow.js';
import { listNotifications } from '../db/repositories/outbox.js';
import { insertStudent, listStudents, updateStudent } from '../db/repositories/students.js';
import { insertSubject, listSubjects, updateSubject } from '../db/repositories/subjects.js';
import { insertTier, listAllTiers, updateTier } from '../db/repositories/tiers.js';
import { isBookingConflict, isConstraintViolation, isTenantMismatch } from '../db/store.js';
import { addTimeOff } from '../services/lifecycle.js';
import { ApiError } from '../contract/errors.js';
import type { AdminTier, Student } from '../contract/wire.js';
import { onInvalid } from './errors.js';
import { operation } from './openapi.js';
import { found, notFound } from '../services/lookup.js';
import { adminLifecycleRoutes } from './lifecycle.js';
import { tenantRoutes } from './tenants.js';
import { calendarRoutes } from './calendars.js';
import {
  escrowQuery,
  idParam,
  notificationsQuery,
  ruleBody,
  rulesBody,
  singleBookingBody,
  studentBody,
  studentUpdateBody,
  subjectBody,
  subjectUpdateBody,
  teacherBody,
  teacherParam,
  teacherUpdateBody,
  tierBody,
  tierUpdateBody,
  timeOffBody,
  calendarParams,
  type StudentUpdateBody,
  type TierUpdateBody,
} from '../contract/schemas.js';
import {
  adminTeacherSchema,
  adminTeachersSchema,
  adminTierSchema,
  adminTiersSchema,
  availabilityRulesSchema,
  escrowEntriesSchema,
  notificationsSchema,
  singleBookingSchema,
  studentSchema,
  studentsSchema,
  subjectsSchema,
  subjectSummarySchema,
  timeOffListSchema,
  timeOffOutcomeSchema,
} from '../contract/responses.js';

/**
 * Turns a refused write (unknown reference, duplicate id) into a 409/422 instead of a 500. A row of
 * another tenant named in the body (the 0003 triggers' `tenant_mismatch`) gets exactly the answer of
 * an id that does not exist, so a refusal tells nothing about other tenants.
 */
export async function guarded<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const mismatch = isTenantMismatch(error);
    if (!mismatch && !isConstraintViolation(error)) throw error;
    const message = String((error as Error).message);
    // No database text in the details: it would tell a foreign key apart from a tenant trigger.
    if (mismatch || /FOREIGN KEY/i.test(message)) {
      throw new ApiError(422, 'unknown_reference', 'A referenced row (teacher, subject, …) does not exist.');
    }
    throw new ApiError(409, 'constraint_violation', 'The database refused this change.', { cause: message });
  }
}

/** School and marketplace set-up over HTTP, behind the admin bearer token. */
export function adminRoutes(deps: AppDeps) {
  const { store } = deps;
  const db = store.db;

  const teacherOr404 = async (tenantId: string, teacherId: string) =>
    found(await adminGetTeacher(db, tenantId, teacherId), () => notFound.teacher(teacherId));

  return (
    new Hono<AuthEnv>()
      .use(authenticate(deps), requireAdmin())
      .get(
        '/teachers',
        operation({
          operationId: 'adminListTeachers',
          tag: 'admin',
          admin: true,
          summary: 'Every teacher with the booking limits and subject ids, by name',
          responses: { 200: { description: 'The teachers.', schema: adminTeachersSchema } },
          errors: ['unauthorized'],
        }),
        async (c) => c.json({ teachers: await adminListTeachers(db, actingTenant(c)) }),
      )
      .get(
        '/teachers/:teacherId',
        operation({
          operationId: 'adminGetTeacher',
          tag: 'admin',
          admin: true,
          summary: 'One teacher as set up',
          responses: { 200: { description: 'The teacher.', schema: adminTeacherSchema } },
          errors: ['unauthorized', 'validation_error', 'teacher_not_found'],
        }),
        validator('param', teacherParam, onInvalid),
        async (c) => c.json(await teacherOr404(actingTenant(c), c.req.valid('param').teacherId)),
      )
      .post(
        '/teachers',
        operation({
          operationId: 'adminCreateTeacher',
          tag: 'admin',
          admin: true,
          summary: 'Create a teacher (with the subjects taught); without `id`, one is made up',
          description:
            'An `id` that exists is refused with 409 `already_exists` (change a teacher with PUT): of two concurrent ' +
            'creates of one id, exactly one succeeds.',
          responses: { 201: { description: 'The teacher as stored.', schema: adminTeacherSchema } },
          errors: [
            'unauthorized',
            'validation_error',
            'malformed_request',
            'already_exists',
            'unknown_reference',
            'constraint_violation',
          ],
        }),
        validator('json', teacherBody, onInvalid),
        async (c) => {
          const { id: given, ...input } = c.req.valid('json');
          // The database decides whether the id is free: of two concurrent creates, one batch commits.
          try {
            const results = await store.batch(
              createTeacherStatements(db, actingTenant(c), given ?? crypto.randomUUID(), input),
            );
            return c.json(createdTeacher(results), 201);
          } catch (error) {
            if (!isDuplicateTeacher(error)) return guarded(() => Promise.reject(error));
            throw new ApiError(409, 'already_exists', `Teacher ${given} exists; use PUT to change it.`);
          }
        },
      )
      .put(
        '/teachers/:teacherId',
        operation({
          operationId: 'adminUpdateTeacher',
          tag: 'admin',
          admin: true,
          summary: 'Change a teacher; `subjectIds`, when given, is the exact set of subjects taught',
          description: 'Omitted booking limits go back to their defaults, as on create.',
          responses: { 200: { description: 'The teacher as changed.', schema: adminTeacherSchema } },
          errors: [
            'unauthorized',
            'validation_error',
            'malformed_request',
            'teacher_not_found',
            'unknown_reference',
            'constraint_violation',
          ],
        }),
        validator('param', teacherParam, onInvalid),
        validator('json', teacherUpdateBody, onInvalid),
        async (c) => {
          const { teacherId } = c.req.valid('param');
          const tenantId = actingTenant(c);
          await teacherOr404(tenantId, teacherId);
          await guarded(() => store.batch(saveTeacherStatements(db, tenantId, teacherId, c.req.valid('json'))));
          return c.json(await teacherOr404(tenantId, teacherId));
        },
      )
      .get(
        '/teachers/:teacherId/availability-rules',
        operation({
          operationId: 'adminListAvailabilityRules',
          tag: 'admin',
          admin: true,
          summary: 'A teacher’s weekly teaching hours',
          responses: { 200: { description: 'The rules, by weekday and start.', schema: availabilityRulesSchema } },
          errors: ['unauthorized', 'validation_error', 'teacher_not_found'],
        }),
        validator('param', teacherParam, onInvalid),
        async (c) => {
          const { teacherId } = c.req.valid('param');
          const tenantId = actingTenant(c);
          await teacherOr404(tenantId, teacherId);
          return c.json({ teacherId, rules: await listRules(db, tenantId, teacherId) });
        },
      )
      .put(
        '/teachers/:teacherId/availability-rules',
        operation({
          operationId: 'adminReplaceAvailabilityRules',
          tag: 'admin',
          admin: true,
          summary: 'Replace all of a teacher’s weekly teaching hours at once',
          description: 'Sessions already booked stay as they are; the grid and the checks use the new hours at once.',
          responses: { 200: { description: 'The rules now.', schema: availabilityRulesSchema } },
          errors: ['unauthorized', 'validation_error', 'malformed_request', 'teacher_not_found'],
        }),
        validator('param', teacherParam, onInvalid),
        validator('json', rulesBody, onInvalid),
        async (c) => {
          const { teacherId } = c.req.valid('param');
          const tenantId = actingTenant(c);
          await teacherOr404(tenantId, teacherId);
          const rules = c.req.valid('json').rules.map((rule) => ({ id: crypto.randomUUID(), ...rule }));
          await guarded(() => store.batch(replaceRulesStatements(db, tenantId, teacherId, rules)));
          return c.json({ teacherId, rules: await listRules(db, tenantId, teacherId) });
        },
      )
      .post(
        '/teachers/:teacherId/availability-rules',
        operation({
          operationId: 'adminAddAvailabilityRule',
          tag: 'admin',
          admin: true,
          summary: 'Add one weekly rule to a teacher’s others',
          responses: { 201: { description: 'All the teacher’s rules now.', schema: availabilityRulesSchema } },
          errors: ['unauthorized', 'validation_error', 'malformed_request', 'teacher_not_found'],
        }),
        validator('param', teacherParam, onInvalid),
        validator('json', ruleBody, onInvalid),
        async (c) => {
          const { teacherId } = c.req.valid('param');
          const tenantId = actingTenant(c);
          await teacherOr404(tenantId, teacherId);
          await guarded(() => insertRule(db, tenantId, teacherId, { id: crypto.randomUUID(), ...c.req.valid('json') }));
          return c.json({ teacherId, rules: await listRules(db, tenantId, teacherId) }, 201);
        },
      )
      .get(
        '/teachers/:teacherId/time-off',
        operation({
          operationId: 'adminListTimeOff',
          tag: 'admin',
          admin: true,
          summary: 'A teacher’s time off',
          responses: { 200: { description: 'The time off, by start.', schema: timeOffListSchema } },
          errors: ['unauthorized', 'validation_error', 'teacher_not_found'],
        }),
        validator('param', teacherParam, onInvalid),
        async (c) => {
          const { teacherId } = c.req.valid('param');
          const tenantId = actingTenant(c);
          await teacherOr404(tenantId, teacherId);
          return c.json({ teacherId, timeOff: await listTimeOff(db, tenantId, teacherId) });
        },
      )
      .post(
        '/teachers/:teacherId/time-off',
        operation({
          operationId: 'adminAddTimeOff',
          tag: 'admin',
          admin: true,
          summary: 'Add time off; the sessions it covers are flagged and their parents notified in the same write',
          description:
            'A flagged session stays booked until its parent moves or floats it (allowed until it starts, without ' +
            'counting against the reschedule limit); each gets a `session.flagged` notification. No package session ' +
            'can be booked inside the time off afterwards.',
          responses: {
            201: { description: 'The time off and the bookings it flagged.', schema: timeOffOutcomeSchema },
          },
          errors: ['unauthorized', 'validation_error', 'malformed_request', 'teacher_not_found'],
        }),
        validator('param', teacherParam, onInvalid),
        validator('json', timeOffBody, onInvalid),
        async (c) => {
          const { teacherId } = c.req.valid('param');
          const tenantId = actingTenant(c);
          await teacherOr404(tenantId, teacherId);
          // Sessions the time off covers are flagged and their parents notified in the same write.
          return c.json(await guarded(() => addTimeOff(deps, tenantId, teacherId, c.req.valid('json'))), 201);
        },
      )
      .post(
        '/teachers/:teacherId/bookings',
        operation({
          operationId: 'adminAddBooking',
          tag: 'admin',
          admin: true,
          summary: 'Book a single lesson outside Smart Packs (or import one): it blocks its slot',
          description:
            'Refused when it overlaps another active booking of the teacher; the school’s own entries may lie ' +
            'inside time off.',
          responses: { 201: { description: 'The booking.', schema: singleBookingSchema } },
          errors: [
            'unauthorized',
            'validation_error',
            'malformed_request',
            'teacher_not_found',
            'booking_overlap',
            'unknown_reference',
          ],
        }),
        validator('param', teacherParam, onInvalid),
        validator('json', singleBookingBody, onInvalid),
        async (c) => {
          // Lessons booked outside Smart Packs (or imported from another system) that block slots.
          const { teacherId } = c.req.valid('param');
          const tenantId = actingTenant(c);
          await teacherOr404(tenantId, teacherId);
          const body = c.req.valid('json');
          try {
            const booking = await insertSingleBooking(db, tenantId, {
              id: crypto.randomUUID(),
              teacherId,
              studentId: body.studentId ?? null,
              subjectId: body.subjectId ?? null,
              startUtc: body.startUtc,
              endUtc: body.endUtc,
              now: deps.now().toISOString(),
            });
            return c.json(booking, 201);
          } catch (error) {
            if (isBookingConflict(error)) {
              throw new ApiError(409, 'booking_overlap', 'The teacher already has a booking overlapping this time.');
            }
            return guarded(() => Promise.reject(error));
          }
        },
      )
      .get(
        '/subjects',
        operation({
          operationId: 'adminListSubjects',
          tag: 'admin',
          admin: true,
          summary: 'Every subject, by name',
          responses: { 200: { description: 'The subjects.', schema: subjectsSchema } },
          errors: ['unauthorized'],
        }),
        async (c) => c.json({ subjects: await listSubjects(db, actingTenant(c)) }),
      )
      .post(
        '/subjects',
        operation({
          operationId: 'adminCreateSubject',
          tag: 'admin',
          admin: true,
          summary: 'Create a subject; without `id`, one is made up',
          responses: { 201: { description: 'The subject as stored.', schema: subjectSummarySchema } },
          errors: ['unauthorized', 'validation_error', 'malformed_request', 'constraint_violation'],
        }),
        validator('json', subjectBody, onInvalid),
        async (c) => {
          const body = c.req.valid('json');
          const subject = { id: body.id ?? crypto.randomUUID(), name: body.name, nameAr: body.nameAr ?? null };
          return c.json(await guarded(() => insertSubject(db, actingTenant(c), subject)), 201);
        },
      )
      .put(
        '/subjects/:id',
        operation({
          operationId: 'adminUpdateSubject',
          tag: 'admin',
          admin: true,
          summary: 'Rename a subject',
          responses: { 200: { description: 'The subject as changed.', schema: subjectSummarySchema } },
          errors: ['unauthorized', 'validation_error', 'malformed_request', 'subject_not_found'],
        }),
        validator('param', idParam, onInvalid),
        validator('json', subjectUpdateBody, onInvalid),
        async (c) => {
          const { id: subjectId } = c.req.valid('param');
          const body = c.req.valid('json');
          const subject = await updateSubject(db, actingTenant(c), subjectId, {
            name: body.name,
            nameAr: body.nameAr ?? null,
          });
          return c.json(found(subject, () => notFound.subject(subjectId)));
        },
      )
      .get(
        '/tiers',
        operation({
          operationId: 'adminListTiers',
          tag: 'admin',
          admin: true,
          summary: 'Every tier, sold or not, of every teacher',
          responses: { 200: { description: 'The tiers, by session count.', schema: adminTiersSchema } },
          errors: ['unauthorized'],
        }),
        async (c) => c.json({ tiers: await listAllTiers(db, actingTenant(c)) }),
      )
      .post(
        '/tiers',
        operation({
          operationId: 'adminCreateTier',
          tag: 'admin',
          admin: true,
          summary: 'Create a tier, one teacher’s or (without `teacherId`) every teacher’s',
          description:
            'The split is stored whole: `recurringCount + floatingCount = sessionCount`. The price follows from the ' +
            'teacher’s hourly rate, the session length and the discount.',
          responses: { 201: { description: 'The tier as stored, defaults filled in.', schema: adminTierSchema } },
          errors: [
            'unauthorized',
            'validation_error',
            'malformed_request',
            'unknown_reference',
            'constraint_violation',
          ],
        }),
        validator('json', tierBody, onInvalid),
        async (c) => {
          const { id: given, ...tier } = c.req.valid('json');
          const record = tierRecord(given ?? crypto.randomUUID(), tier);
          return c.json(await guarded(() => insertTier(db, actingTenant(c), record)), 201);
        },
      )
      .put(
        '/tiers/:id',
        operation({
          operationId: 'adminUpdateTier',
          tag: 'admin',
          admin: true,
          summary: 'Change a tier; packages already bought keep the terms they were bought with',
          responses: { 200: { description: 'The tier as changed.', schema: adminTierSchema } },
          errors: ['unauthorized', 'validation_error', 'malformed_request', 'tier_not_found', 'unknown_reference'],
        }),
        validator('param', idParam, onInvalid),
        validator('json', tierUpdateBody, onInvalid),
        async (c) => {
          const { id: tierId } = c.req.valid('param');
          const tier = await guarded(() => updateTier(db, actingTenant(c), tierRecord(tierId, c.req.valid('json'))));
          return c.json(found(tier, () => notFound.tier(tierId)));
        },
      )
      .get(
        '/notifications',
        operation({
          operationId: 'adminListNotifications',
          tag: 'admin',
          admin: true,
          summary: 'The outbox: every event written, its payload and its delivery so far',
          responses: { 200: { description: 'The notifications, oldest first.', schema: notificationsSchema } },
          errors: ['unauthorized', 'validation_error'],
        }),
        validator('query', notificationsQuery, onInvalid),
        async (c) => c.json({ notifications: await listNotifications(db, actingTenant(c), c.req.valid('query')) }),
      )
      .get(
        '/escrow',
        operation({
          operationId: 'adminListEscrowEntries',
          tag: 'admin',
          admin: true,
          summary: 'A package’s escrow ledger: the purchase’s hold, then each session’s release or refund',
          description: 'An unknown package has no entries.',
          responses: { 200: { description: 'The entries.', schema: escrowEntriesSchema } },
          errors: ['unauthorized', 'validation_error'],
        }),
        validator('query', escrowQuery, onInvalid),
        async (c) => {
          const { packageId } = c.req.valid('query');
          return c.json({ packageId, entries: await listEscrowEntries(db, actingTenant(c), packageId) });
        },
      )
      .get(
        '/students',
        operation({
          operationId: 'adminListStudents',
          tag: 'admin',
          admin: true,
          summary: 'Every student, by name',
          responses: { 200: { description: 'The students.', schema: studentsSchema } },
          errors: ['unauthorized'],
        }),
        async (c) => c.json({ students: await listStudents(db, actingTenant(c)) }),
      )
      .post(
        '/students',
        operation({
          operationId: 'adminCreateStudent',
          tag: 'admin',
          admin: true,
          summary: 'Create a student; without `id`, one is made up',
          responses: { 201: { description: 'The student as stored.', schema: studentSchema } },
          errors: ['unauthorized', 'validation_error', 'malformed_request', 'constraint_violation'],
        }),
        validator('json', studentBody, onInvalid),
        async (c) => {
          const { id: given, ...student } = c.req.valid('json');
          return c.json(
            await guarded(() =>
              insertStudent(db, actingTenant(c), studentRecord(given ?? crypto.randomUUID(), student)),
            ),
            201,
          );
        },
      )
      .put(
        '/students/:id',
        operation({
          operationId: 'adminUpdateStudent',
          tag: 'admin',
          admin: true,
          summary: 'Change a student; omitted contact fields are cleared',
          responses: { 200: { description: 'The student as changed.', schema: studentSchema } },
          errors: ['unauthorized', 'validation_error', 'malformed_request', 'student_not_found'],
        }),
        validator('param', idParam, onInvalid),
        validator('json', studentUpdateBody, onInvalid),
        async (c) => {
          const { id: studentId } = c.req.valid('param');
          const { id: _id, ...values } = studentRecord(studentId, c.req.valid('json'));
          const student = await updateStudent(db, actingTenant(c), studentId, values);
          return c.json(found(student, () => notFound.student(studentId)));
        },
      )
      .route('/', adminLifecycleRoutes(deps))
      .route('/', tenantRoutes(deps))
      // A teacher's external calendars; the same factory serves /teacher/calendars under a teacher token.
      .route(
        '/',
        calendarRoutes<AuthEnv>(deps, {
          base: '/teachers/:teacherId/calendars',
          listParams: teacherParam,
          itemParams: calendarParams,
          tenantOf: actingTenant,
          teacherOf: (c) => c.req.param('teacherId') ?? '',
          operationPrefix: 'admin',
          spec: { tag: 'admin', admin: true },
          errors: ['unauthorized', 'teacher_not_found'],
        }),
      )
  );
}

function tierRecord(tierId: string, tier: TierUpdateBody): AdminTier {
  return { ...tier, id: tierId, teacherId: tier.teacherId ?? null };
}

function studentRecord(studentId: string, student: StudentUpdateBody): Student {
  return {
    id: studentId,
    name: student.name,
    nameAr: student.nameAr ?? null,
    email: student.email ?? null,
    phone: student.phone ?? null,
    timezone: student.timezone ?? null,
    locale: student.locale ?? null,
  };
}
