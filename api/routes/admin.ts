import { Hono, type MiddlewareHandler } from 'hono';
import { zValidator } from '@hono/zod-validator';
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
import { insertStudent, listStudents, updateStudent, type StudentRecord } from '../db/repositories/students.js';
import { insertSubject, listSubjects, updateSubject } from '../db/repositories/subjects.js';
import { insertTier, listAllTiers, updateTier, type TierRecord } from '../db/repositories/tiers.js';
import { isBookingConflict, isConstraintViolation } from '../db/store.js';
import { constantTimeEqual } from '../services/crypto.js';
import { addTimeOff } from '../services/lifecycle.js';
import { ApiError } from '../contract/errors.js';
import { onInvalid } from './errors.js';
import { found, notFound } from '../services/lookup.js';
import { adminLifecycleRoutes } from './lifecycle.js';
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
  type StudentUpdateBody,
  type TierUpdateBody,
} from '../contract/schemas.js';

/** Named bearer-token middleware; the key is compared in constant time. */
export function requireAdmin(apiKey: string): MiddlewareHandler {
  return async function requireAdminMiddleware(c, next) {
    const header = c.req.header('authorization') ?? '';
    if (!apiKey || !constantTimeEqual(header.startsWith('Bearer ') ? header.slice(7) : '', apiKey)) {
      throw new ApiError(401, 'unauthorized', 'Send Authorization: Bearer <ADMIN_API_KEY> to use /admin.');
    }
    await next();
  };
}

/** Turns a refused write (unknown reference, duplicate id) into a 409/422 instead of a 500. */
async function guarded<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isConstraintViolation(error)) throw error;
    const message = String((error as Error).message);
    if (/FOREIGN KEY/i.test(message)) {
      throw new ApiError(422, 'unknown_reference', 'A referenced row (teacher, subject, …) does not exist.', {
        cause: message,
      });
    }
    throw new ApiError(409, 'constraint_violation', 'The database refused this change.', { cause: message });
  }
}

/** School and marketplace set-up over HTTP, behind the admin bearer token. */
export function adminRoutes(deps: AppDeps) {
  const { store } = deps;
  const db = store.db;

  const teacherOr404 = async (teacherId: string) =>
    found(await adminGetTeacher(db, teacherId), () => notFound.teacher(teacherId));

  return new Hono()
    .use(requireAdmin(deps.adminApiKey))
    .get('/teachers', async (c) => c.json({ teachers: await adminListTeachers(db) }))
    .get('/teachers/:teacherId', zValidator('param', teacherParam, onInvalid), async (c) =>
      c.json(await teacherOr404(c.req.valid('param').teacherId)),
    )
    .post('/teachers', zValidator('json', teacherBody, onInvalid), async (c) => {
      const { id: given, ...input } = c.req.valid('json');
      // The database decides whether the id is free: of two concurrent creates, one batch commits.
      try {
        const results = await store.batch(createTeacherStatements(db, given ?? crypto.randomUUID(), input));
        return c.json(createdTeacher(results), 201);
      } catch (error) {
        if (!isDuplicateTeacher(error)) return guarded(() => Promise.reject(error));
        throw new ApiError(409, 'already_exists', `Teacher ${given} exists; use PUT to change it.`);
      }
    })
    .put(
      '/teachers/:teacherId',
      zValidator('param', teacherParam, onInvalid),
      zValidator('json', teacherUpdateBody, onInvalid),
      async (c) => {
        const { teacherId } = c.req.valid('param');
        await teacherOr404(teacherId);
        await guarded(() => store.batch(saveTeacherStatements(db, teacherId, c.req.valid('json'))));
        return c.json(await teacherOr404(teacherId));
      },
    )
    .get('/teachers/:teacherId/availability-rules', zValidator('param', teacherParam, onInvalid), async (c) => {
      const { teacherId } = c.req.valid('param');
      await teacherOr404(teacherId);
      return c.json({ teacherId, rules: await listRules(db, teacherId) });
    })
    .put(
      '/teachers/:teacherId/availability-rules',
      zValidator('param', teacherParam, onInvalid),
      zValidator('json', rulesBody, onInvalid),
      async (c) => {
        const { teacherId } = c.req.valid('param');
        await teacherOr404(teacherId);
        const rules = c.req.valid('json').rules.map((rule) => ({ id: crypto.randomUUID(), ...rule }));
        await guarded(() => store.batch(replaceRulesStatements(db, teacherId, rules)));
        return c.json({ teacherId, rules: await listRules(db, teacherId) });
      },
    )
    .post(
      '/teachers/:teacherId/availability-rules',
      zValidator('param', teacherParam, onInvalid),
      zValidator('json', ruleBody, onInvalid),
      async (c) => {
        const { teacherId } = c.req.valid('param');
        await teacherOr404(teacherId);
        await guarded(() => insertRule(db, teacherId, { id: crypto.randomUUID(), ...c.req.valid('json') }));
        return c.json({ teacherId, rules: await listRules(db, teacherId) }, 201);
      },
    )
    .get('/teachers/:teacherId/time-off', zValidator('param', teacherParam, onInvalid), async (c) => {
      const { teacherId } = c.req.valid('param');
      await teacherOr404(teacherId);
      return c.json({ teacherId, timeOff: await listTimeOff(db, teacherId) });
    })
    .post(
      '/teachers/:teacherId/time-off',
      zValidator('param', teacherParam, onInvalid),
      zValidator('json', timeOffBody, onInvalid),
      async (c) => {
        const { teacherId } = c.req.valid('param');
        await teacherOr404(teacherId);
        // Sessions the time off covers are flagged and their parents notified in the same write.
        return c.json(await guarded(() => addTimeOff(deps, teacherId, c.req.valid('json'))), 201);
      },
    )
    .post(
      '/teachers/:teacherId/bookings',
      zValidator('param', teacherParam, onInvalid),
      zValidator('json', singleBookingBody, onInvalid),
      async (c) => {
        // Lessons booked outside Smart Packs (or imported from another system) that block slots.
        const { teacherId } = c.req.valid('param');
        await teacherOr404(teacherId);
        const body = c.req.valid('json');
        const bookingId = crypto.randomUUID();
        try {
          await insertSingleBooking(db, {
            id: bookingId,
            teacherId,
            studentId: body.studentId ?? null,
            subjectId: body.subjectId ?? null,
            startUtc: body.startUtc,
            endUtc: body.endUtc,
          });
        } catch (error) {
          if (isBookingConflict(error)) {
            throw new ApiError(409, 'booking_overlap', 'The teacher already has a booking overlapping this time.');
          }
          return guarded(() => Promise.reject(error));
        }
        return c.json({ id: bookingId, teacherId, ...body, kind: 'single', status: 'scheduled' }, 201);
      },
    )
    .get('/subjects', async (c) => c.json({ subjects: await listSubjects(db) }))
    .post('/subjects', zValidator('json', subjectBody, onInvalid), async (c) => {
      const body = c.req.valid('json');
      const subject = { id: body.id ?? crypto.randomUUID(), name: body.name, nameAr: body.nameAr ?? null };
      return c.json(await guarded(() => insertSubject(db, subject)), 201);
    })
    .put(
      '/subjects/:id',
      zValidator('param', idParam, onInvalid),
      zValidator('json', subjectUpdateBody, onInvalid),
      async (c) => {
        const { id: subjectId } = c.req.valid('param');
        const body = c.req.valid('json');
        const subject = await updateSubject(db, subjectId, { name: body.name, nameAr: body.nameAr ?? null });
        return c.json(found(subject, () => notFound.subject(subjectId)));
      },
    )
    .get('/tiers', async (c) => c.json({ tiers: await listAllTiers(db) }))
    .post('/tiers', zValidator('json', tierBody, onInvalid), async (c) => {
      const { id: given, ...tier } = c.req.valid('json');
      return c.json(await guarded(() => insertTier(db, tierRecord(given ?? crypto.randomUUID(), tier))), 201);
    })
    .put(
      '/tiers/:id',
      zValidator('param', idParam, onInvalid),
      zValidator('json', tierUpdateBody, onInvalid),
      async (c) => {
        const { id: tierId } = c.req.valid('param');
        const tier = await guarded(() => updateTier(db, tierRecord(tierId, c.req.valid('json'))));
        return c.json(found(tier, () => notFound.tier(tierId)));
      },
    )
    .get(
      '/notifications',
      zValidator('query', notificationsQuery, onInvalid),
      async (c) => c.json({ notifications: await listNotifications(db, c.req.valid('query')) }),
    )
    .get('/escrow', zValidator('query', escrowQuery, onInvalid), async (c) => {
      const { packageId } = c.req.valid('query');
      return c.json({ packageId, entries: await listEscrowEntries(db, packageId) });
    })
    .get('/students', async (c) => c.json({ students: await listStudents(db) }))
    .post('/students', zValidator('json', studentBody, onInvalid), async (c) => {
      const { id: given, ...student } = c.req.valid('json');
      return c.json(await guarded(() => insertStudent(db, studentRecord(given ?? crypto.randomUUID(), student))), 201);
    })
    .put(
      '/students/:id',
      zValidator('param', idParam, onInvalid),
      zValidator('json', studentUpdateBody, onInvalid),
      async (c) => {
        const { id: studentId } = c.req.valid('param');
        const { id: _id, ...values } = studentRecord(studentId, c.req.valid('json'));
        return c.json(found(await updateStudent(db, studentId, values), () => notFound.student(studentId)));
      },
    )
    .route('/', adminLifecycleRoutes(deps));
}

function tierRecord(tierId: string, tier: TierUpdateBody): TierRecord {
  return { ...tier, id: tierId, teacherId: tier.teacherId ?? null };
}

function studentRecord(studentId: string, student: StudentUpdateBody): StudentRecord {
  return {
    id: studentId,
    name: student.name,
    email: student.email ?? null,
    phone: student.phone ?? null,
    timezone: student.timezone ?? null,
    locale: student.locale ?? null,
  };
}
