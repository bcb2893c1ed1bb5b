import { useEffect } from 'react';

/** Calls `poll` now and then every `intervalMs` while the component is shown (never two at once). */
export function usePolling(poll: () => Promise<void>, intervalMs: number) {
  useEffect(() => {
    let stopped = false;
    let timer: number | undefined;
    const tick = async () => {
      await poll();
      if (!stopped) timer = window.setTimeout(tick, intervalMs);
    };
    tick();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [poll, intervalMs]);
}
