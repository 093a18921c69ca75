/*
 * Money is integer minor units. All arithmetic below stays in exact integers: every intermediate
 * value is checked to be a safe integer, and division is done as (a - a % b) / b, which is exact.
 */

function assertSafeNonNegative(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative safe integer`);
}

function floorDiv(a: number, b: number): number {
  return (a - (a % b)) / b;
}

/**
 * Splits a package price into per-session escrow shares: integers that add up exactly to
 * `totalMinor`, the remainder going one unit each to the first shares.
 */
export function splitEscrow(totalMinor: number, parts: number): number[] {
  assertSafeNonNegative(totalMinor, 'totalMinor');
  if (!Number.isSafeInteger(parts) || parts < 1) throw new RangeError('parts must be a positive integer');
  const base = floorDiv(totalMinor, parts);
  const remainder = totalMinor - base * parts;
  const out = new Array<number>(parts);
  for (let i = 0; i < parts; i++) out[i] = base + (i < remainder ? 1 : 0);
  return out;
}

/**
 * Price of a tier.
 * - list = hourly rate × minutes × count / 60, rounded half up to a whole minor unit;
 * - savings = floor(list × discount% / 100): the discount is never overstated;
 * - price = list − savings.
 */
export function tierPrice(
  hourlyRateMinor: number,
  sessionMinutes: number,
  sessionCount: number,
  discountPercent: number,
): { listPriceMinor: number; priceMinor: number; savingsMinor: number } {
  assertSafeNonNegative(hourlyRateMinor, 'hourlyRateMinor');
  assertSafeNonNegative(sessionMinutes, 'sessionMinutes');
  assertSafeNonNegative(sessionCount, 'sessionCount');
  if (!Number.isInteger(discountPercent) || discountPercent < 0 || discountPercent > 100) {
    throw new RangeError('discountPercent must be an integer from 0 to 100');
  }
  const minutesTotal = hourlyRateMinor * sessionMinutes * sessionCount;
  const doubled = minutesTotal * 2 + 60;
  if (!Number.isSafeInteger(doubled)) throw new RangeError('price is too large to compute exactly');
  const listPriceMinor = floorDiv(doubled, 120);
  const discountTimes100 = listPriceMinor * discountPercent;
  if (!Number.isSafeInteger(discountTimes100)) throw new RangeError('price is too large to compute exactly');
  const savingsMinor = floorDiv(discountTimes100, 100);
  return { listPriceMinor, priceMinor: listPriceMinor - savingsMinor, savingsMinor };
}

/**
 * The escrow that no live session holds: the price less the shares of the sessions that are not
 * cancelled and less what was refunded already. This is what a package's unused floating credits
 * hold (each floating booking draws its share from it; a floated session gives its share back to
 * it), and what is refunded when those credits expire or the package is cancelled. The SQL of the
 * floating booking and of the refunds computes the same amount.
 */
export function unassignedEscrow(priceMinor: number, liveShares: readonly number[], refundedMinor: number): number {
  assertSafeNonNegative(priceMinor, 'priceMinor');
  assertSafeNonNegative(refundedMinor, 'refundedMinor');
  let assigned = 0;
  for (const share of liveShares) {
    assertSafeNonNegative(share, 'share');
    assigned += share;
  }
  return Math.max(0, priceMinor - assigned - refundedMinor);
}
