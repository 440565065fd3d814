/**
 * The managed fault-injection port (AWS FIS experiments from templates).
 * relia starts an experiment, polls it, and stops it on abort.
 * An unknown template (start) or experiment (stop) raises InputError (exit 2);
 * stopping a finished experiment returns it unchanged.
 */

export type ManagedExperimentState = 'pending' | 'initiating' | 'running' | 'completed' | 'stopping' | 'stopped' | 'failed' | 'cancelled';

export interface ManagedExperiment {
  id: string;
  templateId: string;
  state: ManagedExperimentState;
  reason?: string;
}

export interface ManagedExperimentsPort {
  readonly kind: string;
  start(region: string, templateId: string, options?: { tags?: Record<string, string>; signal?: AbortSignal }): Promise<ManagedExperiment>;
  /** null when unknown. */
  get(region: string, id: string, options?: { signal?: AbortSignal }): Promise<ManagedExperiment | null>;
  stop(region: string, id: string, options?: { signal?: AbortSignal }): Promise<ManagedExperiment>;
  close(): Promise<void>;
}
