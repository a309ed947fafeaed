import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** What a manager reaches for in the workflow editor, as the browser tests drive it. */
export const inspector = (page: Page) => page.getByTestId('inspector');
export const field = (page: Page, path: string) => inspector(page).locator(`[data-field="${path}"]`);
export const node = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);

/** Drags a palette entry onto the canvas, `x`/`y` from the canvas' top-left corner. */
export async function dropFromPalette(page: Page, type: string, x: number, y: number) {
  await page
    .locator(`[data-testid="palette-item"][data-node-type="${type}"]`)
    .dragTo(page.getByTestId('editor-canvas'), { targetPosition: { x, y } });
}

/** Draws an edge from a node's named output to another node, with the mouse, as a manager would. */
export async function connect(page: Page, source: string, output: string, target: string) {
  const from = await page.getByTestId(`handle-${source}-${output}`).boundingBox();
  const to = await node(page, target).locator('.react-flow__handle.target').boundingBox();
  if (!from || !to) throw new Error(`cannot see ${source}.${output} or ${target}`);
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
  await page.mouse.up();
}

export async function select(page: Page, id: string) {
  await node(page, id).locator('.editor-node-title').click();
  await expect.poll(() => inspector(page).getAttribute('data-node-id')).toBe(id);
}

export async function layoutAndFit(page: Page) {
  await page.getByTestId('auto-layout').click();
  await page.locator('.react-flow__controls .fit-all').click();
  await page.waitForTimeout(300);
}
