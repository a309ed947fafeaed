import { z } from 'zod';

/** Zone names seen so far; a few hundred exist, and building a formatter per check is what costs. */
const knownZones = new Map<string, boolean>();
const KNOWN_ZONES_LIMIT = 2000;

/** Whether the runtime knows this IANA zone; Intl tells an unknown zone only by throwing a RangeError. */
export function isTimeZone(timeZone: string): boolean {
  const known = knownZones.get(timeZone);
  if (known !== undefined) return known;
  let valid: boolean;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    valid = true;
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    valid = false;
  }
  // Bounded: arbitrary strings from bad input must not grow the cache for ever.
  if (knownZones.size < KNOWN_ZONES_LIMIT) knownZones.set(timeZone, valid);
  return valid;
}

export const timeZoneSchema = z
  .string({ error: 'choose a time zone' })
  .refine(isTimeZone, 'use a time zone name such as Europe/Berlin or America/Sao_Paulo');
