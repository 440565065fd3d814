/**
 * Little's law (Little 1961, "A proof for the queuing formula L = λW",
 * Operations Research 9(3)): in any stable system, the long-run average
 * number of items in it equals the arrival rate times the average time each
 * spends in it:
 *
 *   L = λ · W        (concurrency = arrival rate × duration)
 *
 * Given any two, this solves the third. Pure.
 */
import { InputError } from '../errors.js';

export interface LittleInput {
  /** L: items in the system on average (concurrent sessions, requests in flight). */
  concurrency?: number;
  /** λ: arrivals per second. */
  arrivalRate?: number;
  /** W: seconds each item spends in the system. */
  duration?: number;
}

export interface LittleResult {
  concurrency: number;
  /** Per second. */
  arrivalRate: number;
  /** Seconds. */
  duration: number;
  /** Which of the three was solved for. */
  solved: 'concurrency' | 'arrivalRate' | 'duration';
}

const FLAGS = { concurrency: '--concurrency', arrivalRate: '--arrival-rate', duration: '--time-in-system' } as const;

export function solveLittle(input: LittleInput): LittleResult {
  const given = (Object.keys(FLAGS) as Array<keyof typeof FLAGS>).filter((k) => input[k] !== undefined);
  if (given.length !== 2) {
    const missing = (Object.keys(FLAGS) as Array<keyof typeof FLAGS>).filter((k) => input[k] === undefined).map((k) => FLAGS[k]);
    throw new InputError(`Little's law needs exactly two of --concurrency, --arrival-rate and --time-in-system; got ${given.length === 0 ? 'none' : given.map((k) => FLAGS[k]).join(', ')}`, {
      // Too many: drop one (name the first); too few: name the first one to add.
      // Stryker disable next-line EqualityOperator: equivalent, given.length is not 2 in this branch
      field: given.length > 2 ? FLAGS.concurrency : (missing[0] as string),
      suggestions: [
        // Stryker disable next-line EqualityOperator: equivalent, given.length is not 2 in this branch
        given.length > 2 ? 'drop the one to solve for, e.g. remove --concurrency to compute it' : `add ${missing.join(' or ')}`,
        '--arrival-rate 7500/s --time-in-system 180s  (gives the concurrency)',
        '--concurrency 1350000 --time-in-system 180s  (gives the arrival rate)',
      ],
    });
  }
  for (const k of given) {
    const v = input[k] as number;
    if (!(Number.isFinite(v) && v > 0)) throw new InputError(`${FLAGS[k]}: expected a positive number, got ${v}`, { field: FLAGS[k], suggestions: ['e.g. --arrival-rate 7500/s --time-in-system 180s'] });
  }
  const { concurrency: l, arrivalRate: lambda, duration: w } = input;
  if (l === undefined) return { concurrency: (lambda as number) * (w as number), arrivalRate: lambda as number, duration: w as number, solved: 'concurrency' };
  if (lambda === undefined) return { concurrency: l, arrivalRate: l / (w as number), duration: w as number, solved: 'arrivalRate' };
  return { concurrency: l, arrivalRate: lambda, duration: l / lambda, solved: 'duration' };
}
