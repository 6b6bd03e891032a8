/// <reference lib="webworker" />
/** A worker for worker-watch.browser.test.ts: holds its life lock and answers (or never answers) comlink calls. */
import * as Comlink from 'comlink';
import { holdLifeLock } from '../../../workers/worker-life';

const api = {
  ping: () => 'pong',
  /** never answers: a call in flight when the worker dies */
  hang: () => new Promise<never>(() => {}),
  /** end this worker from inside, as a crash would */
  die: () => self.close(),
};
export type FixtureApi = typeof api;

Comlink.expose(api);
holdLifeLock('fixture');
