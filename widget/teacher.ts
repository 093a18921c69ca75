/**
 * Entry point of `dist/smart-pack-teacher.js`: importing this module registers `<smart-pack-teacher>`.
 * A separate bundle from the booking grid and the package view, so neither page carries the teacher's
 * editor (and the reverse); see vite.config.ts. The class module does not register itself (see index.ts).
 */
import { SmartPackTeacher } from './smart-pack-teacher.js';

export { SmartPackTeacher, createTeacherClient, type TeacherClient, type TimeOffRange } from './smart-pack-teacher.js';
export {
  SmartPackTeacherChangeEvent,
  type SmartPackTeacherChangeDetail,
} from './events/smart-pack-teacher-change-event.js';
export { ApiError } from './api-client.js';
export type { ApiErrorCode } from './api-client.js';
export type { ErrorCode } from '../api/contract/errors.js';
export type { AvailabilityRule } from '../api/contract/wire.js';
export type {
  AvailabilityRules,
  FlaggedSession,
  TimeOffEntry,
  TimeOffList,
  TimeOffOutcome,
} from '../api/contract/wire.js';
export type {
  Attendance,
  AttendanceOutcome,
  TeacherProfile,
  TeacherSchedule,
  TeacherSession,
  TimeOffPreview,
} from '../api/contract/teacher.js';

SmartPackTeacher.define('smart-pack-teacher');

declare global {
  interface HTMLElementTagNameMap {
    'smart-pack-teacher': SmartPackTeacher;
  }
}
