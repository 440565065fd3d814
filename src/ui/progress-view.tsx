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

/** Rate · ETA · counters, with no dangling separators: parts that say nothing are left out. */
export function statusLine(state: ProgressState): string {
  const parts: string[] = [];
  if (state.ratePerSecond > 0) parts.push(`${state.ratePerSecond.toFixed(state.ratePerSecond < 10 ? 1 : 0)}/s`);
  if (state.etaSeconds !== null && Number.isFinite(state.etaSeconds)) parts.push(`ETA ${formatEta(state.etaSeconds)}`);
  for (const [k, v] of Object.entries(state.counters)) parts.push(`${k} ${v}`);
  return parts.length > 0 ? parts.join(' · ') : 'starting…';
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
          {state.total === null ? `${state.done}` : `${state.done}/${state.total} ${Math.floor(fraction * 100)}%`}
        </Text>
      </Box>
      <Text dimColor>{statusLine(state)}</Text>
    </Box>
  );
}
