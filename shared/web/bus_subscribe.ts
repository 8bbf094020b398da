/** How the web kernel listens to the bus: a function, so tests and apps can hand in their own. */
import type { BusMessage } from "../bus/bus.ts";

/** Subscribes to the bus; returns the unsubscribe function (shared/bus/bus.ts `subscribe`). */
export type BusSubscribe = (listener: (message: BusMessage) => void) => () => void;
