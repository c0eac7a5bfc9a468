/**
 * @module console/store
 * Two tiny shared signals: a data version that pages reload on (a migration adds credentials the
 * API keys page must show), and short confirmation messages ("Saved") read out by screen readers.
 */
import { useSyncExternalStore } from "react";

type Listener = () => void;

function createSignal<T>(initial: T) {
  let value = initial;
  const listeners = new Set<Listener>();
  return {
    get: () => value,
    set(next: T) {
      value = next;
      for (const listener of listeners) listener();
    },
    subscribe(listener: Listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

const dataVersion = createSignal(0);

/** Tells every page that stored data changed, so they reload. */
export function notifyDataChanged(): void {
  dataVersion.set(dataVersion.get() + 1);
}

/** A number that grows whenever stored data changed; use it as a reload key. */
export function useDataVersion(): number {
  return useSyncExternalStore(dataVersion.subscribe, dataVersion.get);
}

/** One confirmation message. */
export interface Toast {
  id: number;
  message: string;
}

const toasts = createSignal<readonly Toast[]>([]);
let nextToastId = 1;

/** Shows a short confirmation for a few seconds. */
export function announce(message: string): void {
  const toast = { id: nextToastId++, message };
  toasts.set([...toasts.get(), toast]);
  window.setTimeout(() => toasts.set(toasts.get().filter((entry) => entry.id !== toast.id)), 4_000);
}

/** The confirmations on screen now. */
export function useToasts(): readonly Toast[] {
  return useSyncExternalStore(toasts.subscribe, toasts.get);
}
