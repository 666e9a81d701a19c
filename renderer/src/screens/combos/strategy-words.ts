import type { ComboView } from '../../../../shared/api-contract.ts';

export const strategyWords: Record<ComboView['strategy'], { label: string; short: string; long: string }> = {
  fallback: {
    label: 'Fallback',
    short: 'Fallback: the first target, then the next when it cannot answer',
    long: 'Always start with the first target; use the next one only when it is rate-limited, out of quota or down.',
  },
  'round-robin': {
    label: 'Take turns',
    short: 'Take turns: requests are spread over the targets',
    long: 'Spread requests evenly over the targets; one that cannot answer is skipped.',
  },
  weighted: {
    label: 'Weighted',
    short: 'Weighted: requests are spread by weight',
    long: 'Spread requests by the weight you give each target below; one that cannot answer is skipped.',
  },
};
