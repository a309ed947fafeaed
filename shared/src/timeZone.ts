import { z } from 'zod';

/** Whether the runtime knows this IANA zone; Intl tells an unknown zone only by throwing a RangeError. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}

export const timeZoneSchema = z
  .string({ error: 'choose a time zone' })
  .refine(isTimeZone, 'use a time zone name such as Europe/Berlin or America/Sao_Paulo');
