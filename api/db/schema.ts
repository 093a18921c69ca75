import type { StudentNoShow } from '../contract/wire.js';
import type { ColumnType, Generated } from 'kysely';
import type { Weekday } from '../core/types.js';
import type { RefundReason } from '../contract/wire.js';
import type { Attendance } from '../contract/teacher.js';

/**
 * Kysely view of the tables in `api/db/migrations`. Table interfaces describe columns, not query
 * results: repositories select what they need. Nullable columns are `T | null`; columns with a SQL
 * default are `Generated<T>`.
 */
export interface Database {
  tenants: TenantTable;
  tenant_keys: TenantKeyTable;
  teachers: TeacherTable;
  subjects: SubjectTable;
  teacher_subjects: TeacherSubjectTable;
  availability_rules: AvailabilityRuleTable;
  time_off: TimeOffTable;
  package_tiers: PackageTierTable;
  students: StudentTable;
  guardians: GuardianTable;
  student_packages: StudentPackageTable;
  bookings: BookingTable;
  escrow_ledger: EscrowLedgerTable;
  notifications: NotificationTable;
  rate_limits: RateLimitTable;
  teacher_calendars: TeacherCalendarTable;
}

type CreatedAt = ColumnType<string, string | undefined, never>;

export interface TenantTable {
  id: string;
  name: string;
  /** JSON array of origins; null: any origin. */
  allowed_origins: string | null;
  webhook_url: string | null;
  webhook_secret: string | null;
  hold_minutes: Generated<number>;
  signing_secret: string;
  created_at: CreatedAt;
  /** Abuse-limit overrides (0006_rate_limits.sql); null: the deployment's default. */
  writes_per_minute_per_ip: ColumnType<number | null, number | null | undefined, number | null>;
  purchases_per_hour_per_parent: ColumnType<number | null, number | null | undefined, number | null>;
  max_open_purchases: ColumnType<number | null, number | null | undefined, number | null>;
  /** 0007_holds.sql: `required` (purchases pending until confirmed) or `none` (confirmed at purchase). */
  payment_mode: Generated<'required' | 'none'>;
  /** 0012_reminders.sql: JSON array of minutes before a session's start; null: the default offsets. */
  reminder_offsets_minutes: ColumnType<string | null, string | null | undefined, string | null>;
  /** What a student's no-show means for the family (0015_student_no_show.sql). */
  student_no_show: Generated<StudentNoShow>;
  /** 0013_catalog_version.sql: bumped by triggers on every change to teachers, subjects and tiers (ETags). */
  catalog_version: Generated<number>;
}

/** Fixed-window counters of api/services/rate-limit.ts (0006_rate_limits.sql); times in Unix seconds. */
export interface RateLimitTable {
  bucket: string;
  window_start: number;
  expires_at: number;
  count: number;
}

export interface TenantKeyTable {
  id: string;
  tenant_id: string;
  kind: 'publishable' | 'secret';
  /** SHA-256 hex of the whole key. */
  key_hash: string;
  prefix: string;
  created_at: CreatedAt;
  revoked_at: string | null;
}

export interface TeacherTable {
  /**
   * The owning tenant (0003_tenants.sql); triggers refuse rows pointing at another tenant's. Required
   * on insert (the column's default is only for rows older than tenants), so no writer can forget it.
   */
  tenant_id: string;
  id: string;
  name: string;
  name_ar: string | null;
  bio: string | null;
  timezone: string;
  hourly_rate_minor: number;
  currency: string;
  min_notice_minutes: Generated<number>;
  horizon_days: Generated<number>;
  schedule_version: Generated<number>;
  created_at: CreatedAt;
}

export interface SubjectTable {
  /**
   * The owning tenant (0003_tenants.sql); triggers refuse rows pointing at another tenant's. Required
   * on insert (the column's default is only for rows older than tenants), so no writer can forget it.
   */
  tenant_id: string;
  id: string;
  name: string;
  name_ar: string | null;
}

export interface TeacherSubjectTable {
  teacher_id: string;
  subject_id: string;
}

export interface AvailabilityRuleTable {
  id: string;
  teacher_id: string;
  /** The column's CHECK holds it to the seven names. */
  weekday: Weekday;
  start_time: string;
  end_time: string;
}

export interface TimeOffTable {
  id: string;
  teacher_id: string;
  start_utc: string;
  end_utc: string;
  reason: string | null;
  created_at: CreatedAt;
  /** 0011_external_calendars.sql: the feed whose busy time this row is; null for time off entered by hand. */
  calendar_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface PackageTierTable {
  /**
   * The owning tenant (0003_tenants.sql); triggers refuse rows pointing at another tenant's. Required
   * on insert (the column's default is only for rows older than tenants), so no writer can forget it.
   */
  tenant_id: string;
  id: string;
  teacher_id: string | null;
  name: string;
  /** 0009_tier_name_ar.sql: the name on Arabic pages; null = `name`. */
  name_ar: Generated<string | null>;
  session_count: number;
  recurring_count: number;
  floating_count: number;
  discount_percent: Generated<number>;
  grace_period_days: Generated<number>;
  reschedule_limit: Generated<number>;
  session_minutes: Generated<number>;
  active: Generated<number>;
}

export interface StudentTable {
  /**
   * The owning tenant (0003_tenants.sql); triggers refuse rows pointing at another tenant's. Required
   * on insert (the column's default is only for rows older than tenants), so no writer can forget it.
   */
  tenant_id: string;
  id: string;
  name: string;
  /** The name in Arabic (0014_student_name_ar.sql); null: the school gave one spelling. */
  name_ar: ColumnType<string | null, string | null | undefined, string | null>;
  email: string | null;
  phone: string | null;
  timezone: string | null;
  locale: string | null;
  created_at: CreatedAt;
  /** The school's own id of the student (0005_parents.sql); unique per tenant, null for /admin-made rows. */
  external_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The family the student belongs to; null for students made before parents (or by /admin). */
  guardian_id: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A parent the school vouches for (`POST /auth/parent-tokens`), one per family (0005_parents.sql). */
export interface GuardianTable {
  id: string;
  tenant_id: string;
  external_id: string;
  name: string;
  email: string | null;
  phone: string | null;
  created_at: CreatedAt;
}

export interface StudentPackageTable {
  /**
   * The owning tenant (0003_tenants.sql); triggers refuse rows pointing at another tenant's. Required
   * on insert (the column's default is only for rows older than tenants), so no writer can forget it.
   */
  tenant_id: string;
  id: string;
  student_id: string;
  teacher_id: string;
  subject_id: string;
  tier_id: string;
  is_smart_pack: Generated<number>;
  /** JSON text of RecurringPattern[]; null for legacy packages. */
  recurring_patterns: string | null;
  /** @deprecated read only for packages bought before multi-slot. */
  recurring_weekday: string | null;
  /** @deprecated read only for packages bought before multi-slot. */
  recurring_time: string | null;
  session_count: number;
  recurring_session_count: number;
  floating_session_count: number;
  floating_sessions_used: Generated<number>;
  reschedule_limit: number;
  session_minutes: number;
  first_scheduled_session: string | null;
  last_scheduled_session: string | null;
  grace_period_ends: string | null;
  price_minor: number;
  currency: string;
  status: Generated<'active' | 'completed' | 'cancelled'>;
  idempotency_key: string;
  request_hash: string;
  created_at: CreatedAt;
  change_token: string | null;
  /** The guardian who bought it (0005_parents.sql); null for legacy packages, which no parent token reaches. */
  guardian_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The `ver` claim of the calendar feed token; bumped to rotate the feed URL. */
  feed_token_version: Generated<number>;
  /** When the parent cancelled it (0008_refunds.sql); null otherwise. */
  cancelled_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** 0007_holds.sql: pending until this instant (null: confirmed). */
  hold_expires_at: ColumnType<string | null, string | null | undefined, string | null>;
  payment_reference: ColumnType<string | null, string | null | undefined, string | null>;
  confirmed_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** The guardian's live-hold limit the app read for this insert; the open-limit trigger enforces it. */
  open_purchase_limit: ColumnType<number | null, number | null | undefined, number | null>;
}

export type BookingKind = 'recurring' | 'floating' | 'single';
export type BookingStatus = 'scheduled' | 'completed' | 'cancelled';

export interface BookingTable {
  /**
   * The owning tenant (0003_tenants.sql); triggers refuse rows pointing at another tenant's. Required
   * on insert (the column's default is only for rows older than tenants), so no writer can forget it.
   */
  tenant_id: string;
  id: string;
  package_id: string | null;
  teacher_id: string;
  student_id: string | null;
  subject_id: string | null;
  start_utc: string;
  end_utc: string;
  kind: BookingKind;
  session_number: number | null;
  status: Generated<BookingStatus>;
  reschedule_count: Generated<number>;
  escrow_minor: Generated<number>;
  flagged_reason: string | null;
  created_at: CreatedAt;
  updated_at: Generated<string>;
  /** Set by the first statement of a lifecycle batch; the batch's other statements are guarded on it. */
  change_token: string | null;
  revision: Generated<number>;
  flagged_at: string | null;
  completed_at: string | null;
  cancelled_at: string | null;
  cancel_reason: string | null;
  /** 0007_holds.sql: the package's hold (null once confirmed) and the app's now of the last write. */
  hold_expires_at: ColumnType<string | null, string | null | undefined, string | null>;
  written_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** 0010_attendance.sql: how the session ended once recorded (null until then); never changes after. */
  attendance: ColumnType<Attendance | null, Attendance | null | undefined, Attendance | null>;
}

export interface EscrowLedgerTable {
  /** The owning tenant (0003_tenants.sql); triggers refuse rows pointing at another tenant's. */
  tenant_id: Generated<string>;
  id: Generated<number>;
  package_id: string;
  booking_id: string | null;
  entry_type: 'hold' | 'release' | 'refund';
  amount_minor: number;
  currency: string;
  created_at: CreatedAt;
  /** Why a refund was made (0008_refunds.sql); null for holds and releases. */
  reason: ColumnType<RefundReason | null, RefundReason | null | undefined, never>;
  /** 0007_holds.sql: the payment that confirmed the package, on its hold entry. */
  payment_reference: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface NotificationTable {
  /** The owning tenant (0003_tenants.sql); triggers refuse rows pointing at another tenant's. */
  tenant_id: Generated<string>;
  id: Generated<number>;
  event_type: string;
  package_id: string | null;
  booking_id: string | null;
  payload: string;
  dedupe_key: string | null;
  attempts: Generated<number>;
  next_attempt_at: Generated<string>;
  delivered_at: string | null;
  last_error: string | null;
  created_at: CreatedAt;
  claim_token: string | null;
  /** 0012_reminders.sql: when a reminder was withdrawn (its session changed first); never claimed then. */
  withdrawn_at: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A teacher's external ICS feed (0011_external_calendars.sql); its busy time is in `time_off`. */
export interface TeacherCalendarTable {
  id: string;
  tenant_id: string;
  teacher_id: string;
  url: string;
  name: string | null;
  etag: string | null;
  last_modified: string | null;
  status: Generated<'pending' | 'ok' | 'failing'>;
  last_synced_at: string | null;
  last_error: string | null;
  busy_count: Generated<number>;
  created_at: CreatedAt;
}
