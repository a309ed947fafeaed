import type { Connection } from '@temporalio/client';

/** The dev server opens its port before its namespace answers; wait until it does. */
export async function waitForNamespace(
  connection: Connection,
  namespace: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      await connection.workflowService.describeNamespace({ namespace });
      return;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`Temporal namespace "${namespace}" not ready after ${timeoutMs} ms: ${String(lastError)}`);
}
