/** Typing for relia's custom oclif hook, so `config.runHook('relia:providers', …)` is checked. */
import type { ProviderRegistration, ProvidersHookOptions } from '../ports/providers.js';

declare module '@oclif/core' {
  interface Hooks {
    'relia:providers': {
      options: ProvidersHookOptions;
      return: ProviderRegistration[];
    };
  }
}

export const PROVIDERS_HOOK = 'relia:providers' as const;
