import { readFileSync } from 'node:fs';
import type { Risk } from '../../../../src/core/risk/index.js';

/** Text of a file under docs/examples. */
export function example(name: string): string {
  return readFileSync(new URL(`../../../../docs/examples/${name}`, import.meta.url), 'utf8');
}

export { inputError } from '../../../helpers/errors.js';

/** A risk with defaults for the fields a test does not care about. */
export function risk(fields: Partial<Risk> & { name: string }): Risk {
  return {
    service: 'svc',
    category: 'cat',
    ettdMinutes: 5,
    ettrMinutes: 30,
    impact: 0.2,
    frequencyPerYear: 4,
    mitigations: [],
    ...fields,
  };
}

/** Epoch ms of an RFC 3339 time. */
export const t = (iso: string): number => Date.parse(iso);
