/**
 * Whether an endpoint works at all, judged over a run: a run where every call failed is
 * an error to show (with what to do next), not a 0 % result; and a run whose first
 * calls all fail stops early instead of waiting out a timeout for every item.
 */
export class EndpointUnavailableError extends Error {
  override readonly name = 'EndpointUnavailableError';
}

/** A teacher that cannot write for this item (the KG teacher and an imported question): not a failed call. */
export class UnsupportedItemError extends Error {
  override readonly name = 'UnsupportedItemError';
}

export class CallHealth {
  ok = 0;
  failed = 0;
  firstError: string | null = null;

  /** @param giveUpAfter failed calls, with none succeeded, after which the endpoint is taken to be down */
  constructor(readonly giveUpAfter = 8) {}

  success(): void {
    this.ok++;
  }

  failure(message: string): void {
    this.failed++;
    this.firstError ??= message;
  }

  unsupportedItems = 0;
  firstUnsupported: string | null = null;

  /** an item the teacher cannot write for (counted apart: it says nothing about the endpoint) */
  unsupported(message: string): void {
    this.unsupportedItems++;
    this.firstUnsupported ??= message;
  }

  /** no call has worked and enough have failed to stop the run */
  get hopeless(): boolean {
    return this.ok === 0 && this.failed >= this.giveUpAfter;
  }

  /** every call made failed */
  get allFailed(): boolean {
    return this.ok === 0 && this.failed > 0;
  }

  error(what: string): EndpointUnavailableError {
    return new EndpointUnavailableError(`${what}: all ${this.failed} call${this.failed === 1 ? '' : 's'} failed, nothing was stored. First error: ${this.firstError ?? 'unknown'}. ${adviceFor(this.firstError ?? '')}`);
  }
}

/** what to do next, for the usual causes of a failed call */
export function adviceFor(message: string): string {
  if (/\b(401|403)\b/.test(message)) return 'The server refused the key: check the API key.';
  if (/\b404\b/.test(message)) return 'Check the base URL (it usually ends in /v1) and the model name.';
  if (/\b(400|422)\b/.test(message)) return 'The server rejected the request: check the model name and that the server speaks the chat-completions API.';
  if (/\b429\b/.test(message)) return 'The server is rate-limiting: lower the concurrency or try again later.';
  if (/timed out/.test(message)) return 'The server answered too slowly: raise the timeout or lower the concurrency.';
  if (/Failed to fetch|fetch failed|NetworkError|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|Load failed/i.test(message))
    return 'The server could not be reached: check that it is running at that address; from the app, it must also allow requests from this page (CORS, e.g. the server\'s allowed-origins option).';
  if (/\b5\d\d\b/.test(message)) return 'The server failed internally: check its log.';
  if (/malformed|not JSON|\[DONE\]/.test(message)) return 'The reply was not an OpenAI chat-completions response: check that the URL points at a chat-completions API.';
  return 'Check the server address, model name and key, then run again.';
}
