/**
 * @module console/api/use-resource
 * Loads data for a page and keeps loading, error and reload together, so every page shows the same
 * loading and error states. A reload keeps the old data on screen until the new data arrives.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { errorMessage } from "./client.js";

/** What {@link useResource} returns. */
export interface Resource<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` now, whenever `key` changes, and on `reload()`. */
export function useResource<T>(load: () => Promise<T>, key: string = ""): Resource<T> {
  const [state, setState] = useState<{ data: T | undefined; error: string | undefined; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });

  useEffect(() => {
    let current = true;
    loadRef
      .current()
      .then((data) => {
        if (current) setState({ data, error: undefined, loading: false });
      })
      .catch((error: unknown) => {
        if (current) setState((previous) => ({ data: previous.data, error: errorMessage(error), loading: false }));
      });
    return () => {
      current = false;
    };
  }, [key, generation]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { ...state, reload };
}
