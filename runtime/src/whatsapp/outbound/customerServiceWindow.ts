/** Meta delivers free-form messages only within 24 hours of the customer's last message. */
export const CUSTOMER_SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface CustomerServiceWindow {
  open: boolean;
  /** The customer's last message, which opened the window; null when they never wrote. */
  lastInboundAt: number | null;
  /** When free-form messages stop being accepted; null when the window was never opened. */
  closesAt: number | null;
}

export function customerServiceWindow(lastInboundAt: number | null, now: number): CustomerServiceWindow {
  if (lastInboundAt === null) return { open: false, lastInboundAt: null, closesAt: null };
  const closesAt = lastInboundAt + CUSTOMER_SERVICE_WINDOW_MS;
  return { open: now < closesAt, lastInboundAt, closesAt };
}
