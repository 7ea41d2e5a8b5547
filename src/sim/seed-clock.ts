/**
 * Recent activity in the seed (sign-ins, directory audits, device check-ins) is dated relative to
 * the moment the simulated tenant is seeded, not at fixed dates: the app reads the logs 30 days
 * back, as Entra ID keeps them, and fixed dates would age out of that window (and out of the
 * story: "she signed in from Lagos the night before last").
 */

/**
 * Midnight UTC (or the UTC time of day `timeOfDay`, "14:00:00") `days` calendar days after
 * `seededAt`: an expiry or a meeting still ahead, whenever the tenant starts.
 */
export function daysAfter(seededAt: Date, days: number, timeOfDay = '00:00:00'): string {
  return atTimeOf(seededAt, days, timeOfDay, 'daysAfter');
}

/**
 * The UTC time of day `timeOfDay` ("03:12:40"), `days` calendar days (UTC) before `seededAt`,
 * written as Graph writes it ("2026-11-24T03:12:40Z"). Whole days keep the story's clock times
 * (a sign-in at 03:12 is one in the night); at least one day back, so it is never after `seededAt`.
 */
export function daysBefore(seededAt: Date, days: number, timeOfDay: string): string {
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`daysBefore needs a whole number of days, at least 1 (got ${days}): the seeding day's entries could fall after the seeding moment.`);
  return atTimeOf(seededAt, -days, timeOfDay, 'daysBefore');
}

/** `timeOfDay` UTC on the calendar day `days` after (negative: before) `from`, as Graph writes it. */
function atTimeOf(from: Date, days: number, timeOfDay: string, caller: string): string {
  if (!/^\d\d:\d\d:\d\d$/.test(timeOfDay)) throw new RangeError(`${caller} needs a time of day as HH:MM:SS (got '${timeOfDay}').`);
  const day = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + days));
  return `${day.toISOString().slice(0, 10)}T${timeOfDay}Z`;
}
