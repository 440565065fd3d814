import { Flags } from '@oclif/core';
import { ReliaCommand } from '../../src/cli/base-command.js';
import { loadRegister, objectiveFlags, resolveObjective } from '../../src/cli/risk/inputs.js';
import { renderEvent, renderFmea, renderScore } from '../../src/cli/risk/render.js';
import { fmeaRisks, parseTrafficEvent, scoreEvent, scoreRisks, type EventResult, type FmeaResult, type ScoreResult } from '../../src/core/risk/index.js';

export interface RiskScoreResult extends Omit<ScoreResult, 'method'> {
  /** The register file. */
  register: string;
  /** cre ranks risks[] by bad minutes; rpn and ap add the FMEA view in `fmea` (risks[] keeps the CRE numbers). */
  method: 'cre' | 'rpn' | 'ap';
  /** Where the objective came from: `--objective`, `<spec file> <service/name>`, or `register`. */
  objectiveSource: string;
  /** With --scoring rpn or ap. */
  fmea?: FmeaResult;
  /** One per --event, in the order given. */
  events: EventResult[];
}

export default class RiskScore extends ReliaCommand<typeof RiskScore> {
  static override summary = 'Rank risks by expected bad minutes per year against the error budget (Google CRE), or by FMEA RPN / Action Priority.';
  static override description =
    'Bad minutes/year = (ETTD + ETTR) × impact × 365.25 d / ETTF. Flags untenable risks (one occurrence exceeds the yearly budget), the smallest top set that exceeds the budget and the acceptable line. --event scores a traffic peak and ranks what to mitigate before it. Exit 0, 2 bad input. Formulas and sources: docs/risk.md.';
  static override examples = [
    '<%= config.bin %> risk score --register docs/examples/risk/register.yaml --objective 99.9',
    '<%= config.bin %> risk score -r docs/examples/risk/register.yaml --slo-file docs/examples/risk/playback-slo.yaml --mitigated',
    '<%= config.bin %> risk score -r docs/examples/risk/register.yaml --event "premiere:2026-12-18T20:00:00Z/3h x3" --users 400000',
    '<%= config.bin %> risk score -r docs/examples/risk/register.yaml --scoring ap --json',
  ];
  static override flags = {
    register: Flags.string({ char: 'r', description: 'Risk register (YAML, docs/risk.md#the-risk-register).', required: true }),
    ...objectiveFlags,
    scoring: Flags.string({
      description: 'cre: bad minutes vs budget; rpn: FMEA severity × occurrence × detection; ap: AIAG-VDA Action Priority.',
      options: ['cre', 'rpn', 'ap'],
      default: 'cre',
      aliases: ['method'],
      deprecateAliases: true,
    }),
    mitigated: Flags.boolean({ description: 'Re-score with every mitigation applied and show the minutes each one saves.' }),
    event: Flags.string({ description: 'A traffic peak, NAME:START/DURATION xMULTIPLIER, e.g. "premiere:2026-12-18T20:00:00Z/3h x3" (repeatable).', multiple: true }),
    users: Flags.integer({ description: 'Concurrent users at baseline traffic: event costs in user-minutes.', min: 1 }),
  };

  async run(): Promise<RiskScoreResult> {
    const f = this.flags;
    const register = loadRegister(f.register);
    const events = (f.event ?? []).map((text) => parseTrafficEvent(text, '--event'));
    const { objective, source } = resolveObjective(f, register);
    const method = f.scoring as RiskScoreResult['method'];
    const mitigated = f.mitigated;
    const now = this.clock.now();
    const score = scoreRisks(register, { objective, mitigated });
    const result: RiskScoreResult = {
      ...score,
      method,
      register: f.register,
      objectiveSource: source,
      events: events.map((e) => scoreEvent(register, e, { mitigated, objective, now, ...(f.users !== undefined ? { baselineUsers: f.users } : {}) })),
    };
    if (method !== 'cre') result.fmea = fmeaRisks(register, { method, mitigated });
    for (const e of result.events) if ((e.event.startsInDays ?? 0) < 0) this.warn(`--event ${e.event.name} started ${e.event.start}, in the past; scored anyway`);
    if (!this.jsonEnabled()) {
      const text = renderScore({ ...score, objectiveSource: source }, this.style, { table: !result.fmea });
      this.log(result.fmea ? `${renderFmea(result.fmea, this.style)}\n\n${text}` : text);
      for (const e of result.events) this.log(`\n${renderEvent(e, this.style)}`);
    }
    return result;
  }
}
