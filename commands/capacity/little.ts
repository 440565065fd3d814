import { Flags } from '@oclif/core';
import { ReliaCommand } from '../../src/cli/base-command.js';
import { renderPairs, sig } from '../../src/cli/style.js';
import { solveLittle } from '../../src/core/capacity/little.js';
import { InputError } from '../../src/core/errors.js';
import { humanDuration, parseDuration, parseRate } from '../../src/core/units.js';

export interface CapacityLittleResult {
  /** L: items in the system on average. */
  concurrency: number;
  /** λ, per second. */
  arrivalRate: number;
  /** W, seconds. */
  duration: number;
  /** Which of the three was solved for. */
  solved: 'concurrency' | 'arrivalRate' | 'duration';
}

export default class CapacityLittle extends ReliaCommand<typeof CapacityLittle> {
  static override summary = "Little's law, L = λW: give any two of concurrency, arrival rate and time in system, get the third.";
  static override description =
    'Holds for any stable system, whatever the arrival and service distributions (Little 1961). Rates take units (7500/s, 200/h, 100/30m); durations too (180s, 33m, 2h). Exit 0, 2 bad input. Formula: docs/capacity.md#little.';
  static override examples = [
    '<%= config.bin %> capacity little --arrival-rate 7500/s --time-in-system 180s',
    '<%= config.bin %> capacity little --concurrency 15000000 --time-in-system 45m --json',
    '<%= config.bin %> capacity little --concurrency 800 --arrival-rate 4000/s',
  ];
  static override flags = {
    concurrency: Flags.string({ char: 'L', description: 'L: average number in the system (sessions, requests in flight).' }),
    'arrival-rate': Flags.string({ charAliases: ['r'], deprecateAliases: true, description: 'λ: arrivals, e.g. 7500/s, 200/h, 100/30m.' }),
    'time-in-system': Flags.string({ char: 'W', description: 'W: average time each spends in the system, e.g. 180s, 33m.', aliases: ['duration'], deprecateAliases: true }),
  };

  async run(): Promise<CapacityLittleResult> {
    const f = this.flags;
    let concurrency: number | undefined;
    if (f.concurrency !== undefined) {
      concurrency = Number(f.concurrency.replaceAll('_', ''));
      if (f.concurrency.trim() === '' || !Number.isFinite(concurrency)) {
        throw new InputError(`--concurrency: expected a number, got ${JSON.stringify(f.concurrency)}`, { field: '--concurrency', suggestions: ['e.g. --concurrency 1350000'] });
      }
    }
    const result = solveLittle({
      ...(concurrency !== undefined ? { concurrency } : {}),
      ...(f['arrival-rate'] !== undefined ? { arrivalRate: parseRate(f['arrival-rate'], '--arrival-rate') } : {}),
      ...(f['time-in-system'] !== undefined ? { duration: parseDuration(f['time-in-system'], '--time-in-system') } : {}),
    });
    if (!this.jsonEnabled()) {
      const mark = (k: CapacityLittleResult['solved']) => (result.solved === k ? this.style.bold(' ← solved') : '');
      this.log(
        renderPairs(
          [
            ['concurrency (L)', `${sig(result.concurrency, 6)}${mark('concurrency')}`],
            ['arrival rate (λ)', `${sig(result.arrivalRate, 6)}/s${mark('arrivalRate')}`],
            ['duration (W)', `${sig(result.duration, 6)} s (${humanDuration(result.duration)})${mark('duration')}`],
          ],
          this.style,
        ),
      );
      this.log(this.style.dim('L = λ · W (Little 1961)'));
    }
    return result;
  }
}
