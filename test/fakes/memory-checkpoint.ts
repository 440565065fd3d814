/**
 * The in-memory CheckpointStore: THE fake of the warm run's checkpoint store
 * (the interface is declared by the engine, src/core/cache/checkpoint.ts; the
 * real one is FileCheckpointStore, src/cli/cache/files.ts). It passes the same
 * contract suite as the file store (test/contract/checkpoint.contract.test.ts),
 * so its semantics are the file's:
 *  - it holds one document, the JSON text a file would hold (`document`;
 *    null: no file); `load()` parses it, `save()` replaces it whole, `clear()`
 *    removes it, and clearing nothing is not an error;
 *  - no aliasing: what `load()` returns and what was given to `save()` are
 *    never the stored document (JSON round trip, as the file's is);
 *  - a document that is not JSON (corrupted, truncated, empty) makes `load()`
 *    an InputError on `--checkpoint` suggesting `--restart`; any JSON is
 *    returned as it is, for the engine's `restoreDone` to accept or refuse.
 *
 * Recording and faults (saves, history, a failing save) are in the wrapper
 * InstrumentedCheckpointStore (instrumented-checkpoint.ts), never here.
 */
import { InputError } from '../../src/core/errors.js';
import type { CheckpointStore, WarmCheckpoint } from '../../src/core/cache/checkpoint.js';

export class MemoryCheckpointStore implements CheckpointStore {
  /** The stored document, byte for byte what the file store writes; null: none. Tests may set it (a corrupted file). */
  document: string | null = null;

  /** `name` stands for the file's path in messages. */
  constructor(readonly name = 'memory-checkpoint.json') {}

  async load(): Promise<WarmCheckpoint | null> {
    return this.parse();
  }

  async save(checkpoint: WarmCheckpoint): Promise<void> {
    this.document = `${JSON.stringify(checkpoint)}\n`;
  }

  async clear(): Promise<void> {
    this.document = null;
  }

  /** What a load would return now (a fresh copy), for assertions. */
  get saved(): WarmCheckpoint | null {
    return this.parse();
  }

  private parse(): WarmCheckpoint | null {
    if (this.document === null) return null;
    try {
      return JSON.parse(this.document) as WarmCheckpoint;
    } catch {
      throw new InputError(`--checkpoint: ${this.name} is not a relia checkpoint (not JSON)`, {
        field: '--checkpoint',
        suggestions: ['pass --restart to replace it, or point --checkpoint at another file'],
      });
    }
  }
}
