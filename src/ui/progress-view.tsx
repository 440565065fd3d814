/** The ink progress component: a bar, rate, ETA and named counters. */
import { Box, Text } from 'ink';

export interface ProgressState {
  label: string;
  done: number;
  total: number | null;
  ratePerSecond: number;
  etaSeconds: number | null;
  counters: Record<string, number>;
}

function formatEta(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '--';
  if (s < 60) return `${Math.ceil(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.ceil(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function ProgressView({ state, width = 30 }: { state: ProgressState; width?: number }) {
  const fraction = state.total ? Math.min(1, state.done / state.total) : 0;
  const filled = Math.round(fraction * width);
  return (
    <Box flexDirection="column">
      <Box>
        <Text bold>{state.label} </Text>
        <Text color="green">{'█'.repeat(filled)}</Text>
        <Text dimColor>{'░'.repeat(width - filled)}</Text>
        <Text>
          {' '}
          {state.done}/{state.total ?? '?'} {state.total ? `${Math.floor(fraction * 100)}%` : ''}
        </Text>
      </Box>
      <Text dimColor>
        {state.ratePerSecond.toFixed(state.ratePerSecond < 10 ? 1 : 0)}/s · ETA {formatEta(state.etaSeconds)} ·{' '}
        {Object.entries(state.counters)
          .map(([k, v]) => `${k} ${v}`)
          .join(' · ')}
      </Text>
    </Box>
  );
}
