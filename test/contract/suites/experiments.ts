/**
 * The ManagedExperimentsPort contract. One suite, every implementation: the
 * in-memory fake and the FIS adapter against the loopback FIS stand-in.
 */
import { describe, expect, it } from 'vitest';
import type { ManagedExperiment, ManagedExperimentsPort } from '../../../src/ports/experiments.js';
import { expectDependencyError, expectInputError } from './dependency-error.js';

export interface ExperimentsFixture {
  experiments: ManagedExperimentsPort;
  region: string;
  /** A template whose experiments complete after a few polls. */
  completes: string;
  /** A template whose experiments run until stopped. */
  runsUntilStopped: string;
}

const FINAL = ['completed', 'stopped', 'failed', 'cancelled'];

async function pollUntilFinal(ports: ManagedExperimentsPort, region: string, id: string): Promise<ManagedExperiment[]> {
  const seen: ManagedExperiment[] = [];
  for (let i = 0; i < 50; i++) {
    const e = await ports.get(region, id);
    if (!e) throw new Error(`experiment ${id} vanished`);
    seen.push(e);
    if (FINAL.includes(e.state)) return seen;
  }
  throw new Error(`experiment ${id} never finished`);
}

export function experimentsContract(name: string, make: () => Promise<ExperimentsFixture>, options: { unreachable?: () => Promise<ManagedExperimentsPort> } = {}) {
  describe(`ManagedExperimentsPort contract: ${name}`, () => {
    it('starts an experiment from a template; polling sees it run, then complete', async () => {
      const { experiments, region, completes } = await make();
      const started = await experiments.start(region, completes, { tags: { 'relia:run': 'contract' } });
      expect(started.id).toMatch(/\S/);
      expect(started.templateId).toBe(completes);
      expect(['pending', 'initiating', 'running']).toContain(started.state);
      const seen = await pollUntilFinal(experiments, region, started.id);
      expect(seen.some((e) => e.state === 'running')).toBe(true);
      expect(seen.at(-1)!.state).toBe('completed');
      expect(seen.every((e) => e.id === started.id && e.templateId === completes)).toBe(true);
      await experiments.close();
    });

    it('stop: stopping, then stopped, with a reason', async () => {
      const { experiments, region, runsUntilStopped } = await make();
      const started = await experiments.start(region, runsUntilStopped);
      expect((await experiments.get(region, started.id))?.state).toBe('running');
      const stopping = await experiments.stop(region, started.id);
      expect(['stopping', 'stopped']).toContain(stopping.state);
      const seen = await pollUntilFinal(experiments, region, started.id);
      expect(seen.at(-1)!.state).toBe('stopped');
      expect(seen.at(-1)!.reason).toMatch(/\S/);
      await experiments.close();
    });

    it('stopping a finished experiment returns it unchanged', async () => {
      const { experiments, region, completes } = await make();
      const started = await experiments.start(region, completes);
      await pollUntilFinal(experiments, region, started.id);
      expect((await experiments.stop(region, started.id)).state).toBe('completed');
      await experiments.close();
    });

    it('an unknown experiment is null; an unknown template is exit 2 naming it', async () => {
      const { experiments, region } = await make();
      expect(await experiments.get(region, 'EXPnosuchexperiment')).toBeNull();
      await expectInputError(() => experiments.start(region, 'EXTnosuchtemplate'), /EXTnosuchtemplate/);
      await experiments.close();
    });

    it('regions are separate', async () => {
      const { experiments, region, runsUntilStopped } = await make();
      const started = await experiments.start(region, runsUntilStopped);
      const other = region === 'eu-west-1' ? 'us-west-2' : 'eu-west-1';
      expect(await experiments.get(other, started.id)).toBeNull();
      await experiments.stop(region, started.id);
      await experiments.close();
    });

    if (options.unreachable) {
      it('an unreachable endpoint is a DependencyError (exit 3) naming the call and the region', async () => {
        const experiments = await options.unreachable!();
        await expectDependencyError(() => experiments.get('eu-west-1', 'EXP1'), /GetExperiment.*eu-west-1/);
        await experiments.close();
      });
    }
  });
}
