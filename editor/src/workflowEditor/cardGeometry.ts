import { Position } from '@xyflow/react';

/** A card's size before it is measured; close enough to decide whether it is on screen. */
export const ESTIMATED_CARD = { width: 220, height: 120 };

export type EstimatedHandle = {
  id: string | null;
  type: 'source' | 'target';
  position: Position;
  x: number;
  y: number;
  width: number;
  height: number;
};

/**
 * Where a card's handles sit before React Flow has measured it: outputs down the right edge, one
 * input on the left. Edges drawn from these land within a few pixels of the measured handles.
 */
export function estimatedHandles(outputs: readonly string[], withInput: boolean): EstimatedHandle[] {
  const handles: EstimatedHandle[] = outputs.map((id, index) => ({
    id,
    type: 'source',
    position: Position.Right,
    x: ESTIMATED_CARD.width - 4,
    y: 70 + index * 18,
    width: 8,
    height: 8,
  }));
  if (withInput) {
    handles.push({ id: null, type: 'target', position: Position.Left, x: -4, y: 40, width: 8, height: 8 });
  }
  return handles;
}
