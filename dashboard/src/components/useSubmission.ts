import { useState } from 'react';

/**
 * A form's submission: busy while its action runs (so the button can be disabled), and the error it failed with
 * kept for the form to show (field errors included), cleared when it runs again.
 */
export function useSubmission() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}
