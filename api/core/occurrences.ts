import { DAY_MS, MINUTE_MS, weekdayIndexOfDay, type ZoneOffsets } from './time.js';

/**
 * Walks one weekly (weekday, local time) pattern forward week by week. Wall-clock time is what
 * repeats: the UTC instant moves when the zone's offset changes.
 */
export class WeeklyCursor {
  day: number;
  /** The instant, or null when the local time does not exist that day (DST gap). */
  startMs: number | null = null;
  /** Where the occurrence sorts in time; for a gap, the instant the wall clock would have meant. */
  sortMs = 0;

  constructor(
    private readonly zone: ZoneOffsets,
    readonly weekdayIdx: number,
    readonly minutes: number,
    fromMs: number,
  ) {
    const fromDay = zone.utcToLocal(fromMs).day;
    this.day = fromDay + ((weekdayIdx - weekdayIndexOfDay(fromDay) + 7) % 7);
    this.compute();
    if (this.sortMs < fromMs) this.advance();
  }

  advance(): void {
    this.day += 7;
    this.compute();
  }

  private compute(): void {
    this.startMs = this.zone.localToUtc(this.day, this.minutes);
    if (this.startMs !== null) {
      this.sortMs = this.startMs;
    } else {
      const local = this.day * DAY_MS + this.minutes * MINUTE_MS;
      this.sortMs = local - this.zone.offsetAt(local) * MINUTE_MS;
    }
  }
}
