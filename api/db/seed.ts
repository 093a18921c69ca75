import type { Compilable, Kysely } from 'kysely';
import { DEFAULT_SESSION_MINUTES, distributeSessionsChronologically, splitEscrow, tierPrice } from '../core/index.js';
import type { RecurringPattern, Weekday } from '../core/types.js';
import type { Database } from './schema.js';
import { DEFAULT_TENANT_ID } from '../contract/auth.js';

/**
 * Demo data relative to `now`, so the demo always shows upcoming weeks: three teachers in
 * Africa/Khartoum and one in Europe/London (whose UTC offset changes in March), subjects, tiers of
 * 5/10/20 sessions, existing bookings and time off that make some slots partial or unavailable,
 * and one legacy single-pattern package.
 */
export const DEMO_STUDENT_ID = 'student-demo';

/**
 * The demo family: one guardian with two children, in the default tenant, under the school's own ids
 * (`externalId`), as `POST /auth/parent-tokens` takes it. `npm start` mints its demo parent token for it.
 */
export const DEMO_FAMILY = {
  guardian: { externalId: 'demo-family', name: 'Mariam Osman', email: 'mariam@example.com' },
  students: [
    { externalId: 'demo-child-1', name: 'Sara Osman', nameAr: 'سارة عثمان' },
    { externalId: 'demo-child-2', name: 'Adam Osman', nameAr: 'آدم عثمان' },
  ],
};
export const DEMO_GUARDIAN_ID = 'guardian-demo';
/** The family of the seeded legacy package (bought before multi-slot), so a parent token can read it. */
export const LEGACY_FAMILY = { guardianId: 'guardian-legacy', guardian: 'legacy-family', student: 'legacy-child' };
export const DEMO_SIBLING_ID = 'student-demo-2';
/** The seeded package (the legacy family's), whose manage link `npm start` prints. */
export const DEMO_PACKAGE_ID = 'package-legacy';

const HOUR_MS = 3_600_000;

interface DemoTeacher {
  id: string;
  name: string;
  nameAr: string;
  bio: string;
  timezone: string;
  hourlyRateMinor: number;
  currency: string;
  subjects: string[];
  rules: { weekday: Weekday; startTime: string; endTime: string }[];
}

const SUBJECTS = [
  { id: 'math', name: 'Mathematics', nameAr: 'الرياضيات' },
  { id: 'physics', name: 'Physics', nameAr: 'الفيزياء' },
  { id: 'arabic', name: 'Arabic', nameAr: 'اللغة العربية' },
  { id: 'english', name: 'English', nameAr: 'اللغة الإنجليزية' },
];

const weekdays = (days: Weekday[], startTime: string, endTime: string) =>
  days.map((weekday) => ({ weekday, startTime, endTime }));

const TEACHERS: DemoTeacher[] = [
  {
    id: 'teacher-amna',
    name: 'Amna Hassan',
    nameAr: 'آمنة حسن',
    bio: 'Secondary-school mathematics and physics, 9 years in Khartoum.',
    timezone: 'Africa/Khartoum',
    hourlyRateMinor: 800_000,
    currency: 'SDG',
    subjects: ['math', 'physics'],
    rules: [
      ...weekdays(['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY'], '14:00', '19:00'),
      ...weekdays(['MONDAY', 'TUESDAY', 'THURSDAY'], '09:00', '11:00'),
      ...weekdays(['SATURDAY'], '16:00', '18:00'),
    ],
  },
  {
    id: 'teacher-omer',
    name: 'Omer Babiker',
    nameAr: 'عمر بابكر',
    bio: 'Arabic language and literature for all grades.',
    timezone: 'Africa/Khartoum',
    hourlyRateMinor: 600_000,
    currency: 'SDG',
    subjects: ['arabic'],
    rules: weekdays(['SATURDAY', 'SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY'], '16:00', '21:00'),
  },
  {
    id: 'teacher-huda',
    name: 'Huda Elamin',
    nameAr: 'هدى الأمين',
    bio: 'English for exams; evenings only.',
    timezone: 'Africa/Khartoum',
    hourlyRateMinor: 700_000,
    currency: 'SDG',
    subjects: ['english'],
    rules: weekdays(['SUNDAY', 'TUESDAY', 'THURSDAY'], '18:00', '21:00'),
  },
  {
    id: 'teacher-sarah',
    name: 'Sarah Collins',
    nameAr: 'سارة كولينز',
    bio: 'GCSE and A-level maths from London; her UTC offset changes with British Summer Time.',
    timezone: 'Europe/London',
    hourlyRateMinor: 3_000,
    currency: 'GBP',
    subjects: ['math', 'english'],
    rules: [
      ...weekdays(['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY'], '15:00', '19:00'),
      ...weekdays(['SATURDAY'], '10:00', '12:00'),
    ],
  },
];

const TIERS = [
  {
    id: 'tier-5',
    name: 'Starter · 5 sessions',
    name_ar: 'البداية · 5 حصص',
    session_count: 5,
    recurring_count: 4,
    floating_count: 1,
    discount_percent: 5,
    grace_period_days: 14,
    reschedule_limit: 1,
  },
  {
    id: 'tier-10',
    name: 'Smart Pack · 10 sessions',
    name_ar: 'الباقة الذكية · 10 حصص',
    session_count: 10,
    recurring_count: 8,
    floating_count: 2,
    discount_percent: 10,
    grace_period_days: 21,
    reschedule_limit: 2,
  },
  {
    id: 'tier-20',
    name: 'Term · 20 sessions',
    name_ar: 'الفصل · 20 حصة',
    session_count: 20,
    recurring_count: 16,
    floating_count: 4,
    discount_percent: 15,
    grace_period_days: 28,
    reschedule_limit: 3,
  },
];

const firstChild = DEMO_FAMILY.students[0]!;
const secondChild = DEMO_FAMILY.students[1]!;
const STUDENTS = [
  {
    id: DEMO_STUDENT_ID,
    name: firstChild.name,
    name_ar: firstChild.nameAr,
    email: null,
    timezone: 'Europe/London',
    locale: 'ar-SD',
    external_id: firstChild.externalId,
    guardian_id: DEMO_GUARDIAN_ID,
  },
  {
    id: DEMO_SIBLING_ID,
    name: secondChild.name,
    name_ar: secondChild.nameAr,
    email: null,
    timezone: 'Europe/London',
    locale: 'ar-SD',
    external_id: secondChild.externalId,
    guardian_id: DEMO_GUARDIAN_ID,
  },
  {
    id: 'student-yousif',
    name: 'Yousif Ali',
    name_ar: 'يوسف علي',
    email: null,
    timezone: 'Africa/Khartoum',
    locale: 'ar-SD',
  },
  {
    id: 'student-legacy',
    name: 'Khalid Ahmed (legacy pack)',
    name_ar: 'خالد أحمد',
    email: null,
    timezone: 'Africa/Khartoum',
    locale: 'ar',
    external_id: LEGACY_FAMILY.student,
    guardian_id: LEGACY_FAMILY.guardianId,
  },
];

export interface SeedOptions {
  /**
   * The demo tenant's payment mode. `npm start` and `npm run dev:worker` pass `required`, so the demo
   * runs the whole pay-to-confirm flow through its checkout page; unset, the default tenant keeps what
   * its migration gave it (`none`: confirmed at purchase), as the test suites expect.
   */
  paymentMode?: 'required' | 'none';
}

export function seedStatements(db: Kysely<Database>, now: Date, options: SeedOptions = {}): Compilable[] {
  // Start after the minimum notice so the seeded bookings sit inside the bookable window.
  const start = new Date(now.getTime() + 26 * HOUR_MS).toISOString();
  const sessionsOf = (teacher: DemoTeacher, pattern: RecurringPattern, count: number) =>
    distributeSessionsChronologically([pattern], count, start, teacher.timezone, DEFAULT_SESSION_MINUTES);
  // The demo is the default tenant's (the one a deployment without keys serves).
  const tenant_id = DEFAULT_TENANT_ID;
  const statements: Compilable[] = [
    db.insertInto('subjects').values(SUBJECTS.map((s) => ({ tenant_id, id: s.id, name: s.name, name_ar: s.nameAr }))),
    db.insertInto('teachers').values(
      TEACHERS.map((t) => ({
        tenant_id,
        id: t.id,
        name: t.name,
        name_ar: t.nameAr,
        bio: t.bio,
        timezone: t.timezone,
        hourly_rate_minor: t.hourlyRateMinor,
        currency: t.currency,
      })),
    ),
    db
      .insertInto('teacher_subjects')
      .values(TEACHERS.flatMap((t) => t.subjects.map((subject_id) => ({ teacher_id: t.id, subject_id })))),
    db.insertInto('availability_rules').values(
      TEACHERS.flatMap((t) =>
        t.rules.map((rule, index) => ({
          id: `${t.id}-rule-${index}`,
          teacher_id: t.id,
          weekday: rule.weekday,
          start_time: rule.startTime,
          end_time: rule.endTime,
        })),
      ),
    ),
    db
      .insertInto('package_tiers')
      .values(
        TIERS.map((tier) => ({ ...tier, tenant_id, teacher_id: null, session_minutes: DEFAULT_SESSION_MINUTES })),
      ),
    db.insertInto('guardians').values([
      {
        id: DEMO_GUARDIAN_ID,
        tenant_id: DEFAULT_TENANT_ID,
        external_id: DEMO_FAMILY.guardian.externalId,
        name: DEMO_FAMILY.guardian.name,
        email: DEMO_FAMILY.guardian.email,
        phone: null,
      },
      {
        id: LEGACY_FAMILY.guardianId,
        tenant_id: DEFAULT_TENANT_ID,
        external_id: LEGACY_FAMILY.guardian,
        name: 'Ahmed Khalid',
        email: null,
        phone: null,
      },
    ]),
    db.insertInto('students').values(STUDENTS.map((s) => ({ ...s, tenant_id, phone: null }))),
  ];
  if (options.paymentMode) {
    statements.push(db.updateTable('tenants').set({ payment_mode: options.paymentMode }).where('id', '=', tenant_id));
  }

  const [amna, omer, huda, sarah] = TEACHERS as [DemoTeacher, DemoTeacher, DemoTeacher, DemoTeacher];
  const single = (teacher: DemoTeacher, s: { startUtc: string; endUtc: string }, n: number) => ({
    tenant_id,
    id: `${teacher.id}-booking-${n}`,
    package_id: null,
    teacher_id: teacher.id,
    student_id: 'student-yousif',
    subject_id: teacher.subjects[0]!,
    start_utc: s.startUtc,
    end_utc: s.endUtc,
    kind: 'single' as const,
    session_number: null,
    flagged_reason: null,
  });
  const bookings = [
    // Amna: Monday 16:00 is taken in week 3 only (a partial slot with a conflict to resolve),
    // Wednesday 17:00 every week (unavailable), Sunday 14:00 in weeks 1-2.
    ...sessionsOf(amna, { weekday: 'MONDAY', time: '16:00' }, 3)
      .slice(2)
      .map((s, i) => single(amna, s, 100 + i)),
    ...sessionsOf(amna, { weekday: 'WEDNESDAY', time: '17:00' }, 26).map((s, i) => single(amna, s, 200 + i)),
    ...sessionsOf(amna, { weekday: 'SUNDAY', time: '14:00' }, 2).map((s, i) => single(amna, s, 300 + i)),
    // Omer: Saturday 18:00 in alternate weeks.
    ...sessionsOf(omer, { weekday: 'SATURDAY', time: '18:00' }, 8)
      .filter((_, i) => i % 2 === 0)
      .map((s, i) => single(omer, s, 100 + i)),
    // Huda: Tuesday 19:00 every week.
    ...sessionsOf(huda, { weekday: 'TUESDAY', time: '19:00' }, 26).map((s, i) => single(huda, s, 100 + i)),
    // Sarah: Wednesday 16:00 in weeks 2 and 4.
    ...sessionsOf(sarah, { weekday: 'WEDNESDAY', time: '16:00' }, 4)
      .filter((_, i) => i % 2 === 1)
      .map((s, i) => single(sarah, s, 100 + i)),
  ];
  statements.push(db.insertInto('bookings').values(bookings));

  // Amna is away all of Tuesday in week 2: every Tuesday slot that week is time off.
  const tuesday = sessionsOf(amna, { weekday: 'TUESDAY', time: '00:00' }, 2)[1]!;
  statements.push(
    db.insertInto('time_off').values({
      id: 'teacher-amna-time-off-1',
      teacher_id: amna.id,
      start_utc: tuesday.startUtc,
      end_utc: new Date(new Date(tuesday.startUtc).getTime() + 24 * HOUR_MS).toISOString(),
      reason: 'Family occasion',
    }),
  );

  // A package bought before multi-slot: only recurringWeekday/recurringTime, no recurringPatterns.
  const tier = TIERS[1]!;
  const legacy = sessionsOf(omer, { weekday: 'SUNDAY', time: '17:00' }, tier.recurring_count);
  const price = tierPrice(omer.hourlyRateMinor, DEFAULT_SESSION_MINUTES, tier.session_count, tier.discount_percent);
  const shares = splitEscrow(price.priceMinor, tier.session_count);
  const last = legacy[legacy.length - 1]!;
  statements.push(
    db.insertInto('student_packages').values({
      tenant_id,
      id: 'package-legacy',
      student_id: 'student-legacy',
      teacher_id: omer.id,
      subject_id: 'arabic',
      tier_id: tier.id,
      recurring_patterns: null,
      recurring_weekday: 'SUNDAY',
      recurring_time: '17:00',
      session_count: tier.session_count,
      recurring_session_count: tier.recurring_count,
      floating_session_count: tier.floating_count,
      reschedule_limit: tier.reschedule_limit,
      session_minutes: DEFAULT_SESSION_MINUTES,
      first_scheduled_session: legacy[0]!.startUtc,
      last_scheduled_session: last.startUtc,
      grace_period_ends: new Date(
        new Date(last.startUtc).getTime() + tier.grace_period_days * 24 * HOUR_MS,
      ).toISOString(),
      price_minor: price.priceMinor,
      currency: omer.currency,
      idempotency_key: 'seed-legacy-package',
      guardian_id: LEGACY_FAMILY.guardianId,
      request_hash: 'seed',
    }),
    db.insertInto('bookings').values(
      legacy.map((s, i) => ({
        tenant_id,
        id: `package-legacy-session-${i + 1}`,
        package_id: 'package-legacy',
        teacher_id: omer.id,
        student_id: 'student-legacy',
        subject_id: 'arabic',
        start_utc: s.startUtc,
        end_utc: s.endUtc,
        kind: 'recurring' as const,
        session_number: i + 1,
        escrow_minor: shares[i]!,
        flagged_reason: null,
      })),
    ),
  );
  return statements;
}

export async function isEmpty(db: Kysely<Database>): Promise<boolean> {
  const row = await db
    .selectFrom('teachers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0) === 0;
}
