/**
 * In-memory ManagedExperimentsPort (AWS FIS's model) for core tests. It passes
 * the same contract suite as the FIS adapter against the loopback FIS stand-in
 * (test/contract/experiments.contract.test.ts).
 *
 * An experiment moves one state per `get`, along its template's script:
 * initiating → running (× `runningPolls`) → completed, or → failed when the
 * template says `fail`. `stop` answers `stopping`; the next `get` says
 * `stopped`. Stopping a finished experiment returns it unchanged.
 */
import { DependencyError, InputError } from '../../src/core/errors.js';
import type { ManagedExperiment, ManagedExperimentState, ManagedExperimentsPort } from '../../src/ports/experiments.js';

export interface TemplateSeed {
  /** How many polls say `running` before the end; Infinity: runs until stopped. Default 2. */
  runningPolls?: number;
  /** End in `failed` with this reason instead of `completed`. */
  fail?: string;
}

interface Experiment extends ManagedExperiment {
  region: string;
  polls: number;
  tags: Record<string, string>;
}

const FINAL: ManagedExperimentState[] = ['completed', 'stopped', 'failed', 'cancelled'];

export class MemoryExperiments implements ManagedExperimentsPort {
  readonly kind = 'memory-experiments';
  readonly calls: string[] = [];
  private readonly templates = new Map<string, Required<TemplateSeed>>();
  private readonly experiments = new Map<string, Experiment>();
  private counter = 0;
  /** Set to make every call fail as an unreachable endpoint would. */
  unreachable = false;

  addTemplate(region: string, templateId: string, seed: TemplateSeed = {}): void {
    this.templates.set(`${region}/${templateId}`, { runningPolls: seed.runningPolls ?? 2, fail: seed.fail ?? '' });
  }

  /** The tags an experiment was started with. */
  tagsOf(id: string): Record<string, string> | undefined {
    return this.experiments.get(id)?.tags;
  }

  private enter(call: string, region: string, signal?: AbortSignal): void {
    signal?.throwIfAborted();
    this.calls.push(`fis:${call} ${region}`);
    if (this.unreachable) throw new DependencyError('aws', `fis:${call} in ${region} failed: connect ECONNREFUSED`, { suggestions: ['check the FIS endpoint and network, then retry'] });
  }

  async start(region: string, templateId: string, options: { tags?: Record<string, string>; signal?: AbortSignal } = {}): Promise<ManagedExperiment> {
    this.enter('StartExperiment', region, options.signal);
    if (!this.templates.has(`${region}/${templateId}`)) {
      throw new InputError(`fis:StartExperiment in ${region}: no experiment template ${templateId}`, { field: 'templateId', suggestions: [`check the template id: aws fis list-experiment-templates --region ${region}`] });
    }
    const id = `EXP${(++this.counter).toString().padStart(14, '0')}`;
    const e: Experiment = { id, templateId, state: 'initiating', region, polls: 0, tags: { ...options.tags } };
    this.experiments.set(id, e);
    return view(e);
  }

  async get(region: string, id: string, options: { signal?: AbortSignal } = {}): Promise<ManagedExperiment | null> {
    this.enter('GetExperiment', region, options.signal);
    const e = this.experiments.get(id);
    if (!e || e.region !== region) return null;
    this.advance(e);
    return view(e);
  }

  async stop(region: string, id: string, options: { signal?: AbortSignal } = {}): Promise<ManagedExperiment> {
    this.enter('StopExperiment', region, options.signal);
    const e = this.experiments.get(id);
    if (!e || e.region !== region) throw new InputError(`fis:StopExperiment in ${region}: no experiment ${id}`, { field: 'experiment', suggestions: ['use the id that start returned, in the same region'] });
    if (!FINAL.includes(e.state)) {
      e.state = 'stopping';
      e.reason = 'Experiment stopped by user.';
    }
    return view(e);
  }

  private advance(e: Experiment): void {
    if (FINAL.includes(e.state)) return;
    if (e.state === 'stopping') {
      e.state = 'stopped';
      return;
    }
    const t = this.templates.get(`${e.region}/${e.templateId}`)!;
    e.polls++;
    if (e.polls === 1) e.state = 'running';
    else if (e.polls > t.runningPolls) {
      if (t.fail) {
        e.state = 'failed';
        e.reason = t.fail;
      } else {
        e.state = 'completed';
        e.reason = 'Experiment completed.';
      }
    }
  }

  async close(): Promise<void> {}
}

function view(e: Experiment): ManagedExperiment {
  const out: ManagedExperiment = { id: e.id, templateId: e.templateId, state: e.state };
  if (e.reason !== undefined) out.reason = e.reason;
  return out;
}
