/** A background worker died: what happened and what was done about it, until dismissed. */
import { useApp } from '../store';

export function WorkerNotice() {
  const notice = useApp((s) => s.workerNotice);
  const set = useApp((s) => s.setWorkerNotice);
  if (!notice) return null;
  return (
    <div className="banner warn worker-notice" role="alert" data-testid="worker-notice">
      <span>{notice}</span>{' '}
      <button type="button" onClick={() => set(null)}>
        Dismiss
      </button>
    </div>
  );
}
