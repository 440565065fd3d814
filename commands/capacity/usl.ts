import { Flags } from '@oclif/core';
import { ReliaCommand } from '../../src/cli/base-command.js';
import { readUslPoints, uslFlags, uslPlot, type UslSource } from '../../src/cli/capacity/usl.js';
import { renderPairs, renderTable, sig } from '../../src/cli/style.js';
import { fitUsl, type UslFit } from '../../src/core/capacity/usl.js';
import { InputError } from '../../src/core/errors.js';

export interface CapacityUslResult extends UslFit {
  source: UslSource;
}

export default class CapacityUsl extends ReliaCommand<typeof CapacityUsl> {
  static override summary = 'Fit the Universal Scalability Law (σ contention, κ coherency, λ) to concurrency/throughput measurements; peak and predictions.';
  static override description =
    'Nonlinear least squares (Levenberg–Marquardt) on throughput, λ free, so data without an N = 1 point works. σ and κ are kept ≥ 0: a negative unconstrained coefficient is held at 0 with a warning, never returned silently. Prints an ASCII plot on a TTY (--plot to force it, --no-plot to skip it). Exit 0, 2 bad input, 3 metrics unavailable. Formulas: docs/capacity.md#usl.';
  static override examples = [
    '<%= config.bin %> capacity usl --input docs/examples/capacity/usl-codahale.csv --predict 64 128 256',
    'cat measurements.csv | <%= config.bin %> capacity usl --input - --json',
    "<%= config.bin %> capacity usl --concurrency-query 'sum(app_inflight_requests)' --throughput-query 'sum(rate(app_requests_total[1m]))' --start 2026-10-25T00:00:00Z --end 2026-11-01T00:00:00Z --step 5m",
  ];
  static override flags = {
    ...uslFlags,
    predict: Flags.string({ charAliases: ['p'], deprecateAliases: true, description: 'Concurrencies to predict throughput at (space- or comma-separated, repeatable).', multiple: true }),
    plot: Flags.boolean({ allowNo: true, description: 'Draw the ASCII plot even off a TTY (e.g. into a CI log; to stderr under --json); --no-plot never draws it. Default: only when stdout is a TTY.' }),
  };

  async run(): Promise<CapacityUslResult> {
    const f = this.flags;
    const predict = (f.predict ?? []).flatMap((s) => s.split(/[\s,]+/)).filter((s) => s !== '').map((s) => {
      const n = Number(s);
      if (!(Number.isFinite(n) && n > 0)) throw new InputError(`--predict ${s}: expected a positive concurrency`, { field: '--predict', suggestions: ['e.g. --predict 64 128 256'] });
      return n;
    });
    const { points, source } = await readUslPoints(this.context(), f);
    const fit = fitUsl(points, predict);
    for (const w of fit.warnings) this.warn(w);
    if (!this.jsonEnabled()) {
      const peak = fit.peakConcurrency === null ? `none (κ = 0)${fit.asymptote !== null ? `; throughput approaches λ/σ = ${sig(fit.asymptote, 6)}` : ': linear'}` : `${sig(fit.peakThroughput as number, 6)} at concurrency ${sig(fit.peakConcurrency, 4)}`;
      this.log(
        renderPairs(
          [
            ['measurements', `${fit.points} (${source.kind === 'csv' ? source.input : `Prometheus, ${source.window?.from} to ${source.window?.to} every ${source.window?.step}s`})`],
            ['σ contention', `${sig(fit.sigma, 6)}${fit.clamped.includes('sigma') ? ' (held at 0)' : ''}`],
            ['κ coherency', `${sig(fit.kappa, 6)}${fit.clamped.includes('kappa') ? ' (held at 0)' : ''}`],
            ['λ per unit', sig(fit.lambda, 6)],
            ['peak', peak],
            ['constrained by', `${fit.constraint} (at N = ${sig(fit.terms.at, 4)}: σ(N−1) = ${sig(fit.terms.contention, 4)}, κN(N−1) = ${sig(fit.terms.coherency, 4)})`],
            ['fit', `R² ${sig(fit.rSquared, 5)}, RMSE ${sig(fit.rmse, 4)}`],
          ],
          this.style,
        ),
      );
      if (fit.predictions.length > 0) {
        this.log('');
        this.log(renderTable([{ header: 'CONCURRENCY', value: (p) => sig(p.concurrency, 6), align: 'right' }, { header: 'PREDICTED THROUGHPUT', value: (p) => sig(p.throughput, 6), align: 'right' }], fit.predictions, this.style));
      }
      if (f.plot ?? process.stdout.isTTY === true) this.log(`\n${uslPlot(points, fit).join('\n')}`);
    } else if (f.plot === true) {
      process.stderr.write(`${uslPlot(points, fit).join('\n')}\n`);
    }
    return { ...fit, source };
  }
}
