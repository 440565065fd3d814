/** The PluginKit adapters receive, for tests that build adapters directly. */
import { makeKit } from '../../src/cli/providers.js';

export const kit = makeKit('test');
