import type { Target } from './types.ts';

/** How a reference is written back to people: 任务6, #123, 省公安厅. */
export function refLabel(ref: Target): string {
  switch (ref.kind) {
    case 'task':
      return `任务${ref.seq}`;
    case 'ticket':
      return `#${ref.id}`;
    case 'unit':
      return ref.text;
  }
}
