/**
 * The app's Content-Security-Policy, and the Vite plugin that writes it into the built
 * index.html as a <meta http-equiv> (static hosting gives no control over headers, so
 * the policy travels with the page). Only the build gets it: the dev server's React
 * refresh preamble is an inline script and HMR needs a WebSocket, so `npm start` runs
 * without a policy, and the e2e tests check the strict one on the built app.
 *
 * What each directive allows, and why:
 * - script-src 'self' blob: 'wasm-unsafe-eval' — our own bundles only: no inline script,
 *   no eval / new Function. 'wasm-unsafe-eval' lets WebAssembly compile (ONNX Runtime for
 *   the in-browser teacher, xz decompression); blob: lets transformers.js import ONNX
 *   Runtime's loader, which it re-wraps as a blob: module (the file itself comes from
 *   'self'; without blob: the in-browser teacher fails with "no available backend").
 *   A blob: URL can only be made by script already running in the page.
 * - worker-src 'self' blob: — the app's workers are files of the build; ONNX Runtime may
 *   start its proxy worker from a blob: URL.
 * - connect-src 'self' https: http: — fetch from our origin (the graph, model files kept in
 *   the app), the Hugging Face hub when the user asks for a model (huggingface.co and the
 *   CDN hosts it redirects to, which change), and the OpenAI-compatible endpoint the user
 *   types in, which may be any host — often a local server on plain http
 *   (http://127.0.0.1:8000/v1). A build-time policy cannot know that host, so http(s) is
 *   open; what is sent, and when, is stated in the About view. Nothing else is reachable
 *   (no ws:, no data: exfiltration through fetch).
 * - style-src 'self' 'unsafe-inline' — the stylesheets are files, but cytoscape.js inserts a
 *   one-rule <style> element for its container and the training charts place their stage
 *   marks with style attributes; both are blocked without 'unsafe-inline' (measured: the e2e
 *   tour reports them). Styles cannot run script; the script policy above is what matters.
 * - img-src 'self' data: blob: — icons as data: URLs, chart PNG exports as blob: URLs.
 * - object-src 'none'; base-uri 'none'; form-action 'none' — no plugins, no <base>
 *   hijacking of relative URLs, no form posts anywhere.
 * A <meta> policy cannot carry frame-ancestors (clickjacking) or report-to; a host that can
 * set headers should send this policy as a header with `frame-ancestors 'none'` added.
 */
import type { Plugin } from 'vite';

export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'self'"],
  'script-src': ["'self'", 'blob:', "'wasm-unsafe-eval'"],
  'worker-src': ["'self'", 'blob:'],
  'connect-src': ["'self'", 'https:', 'http:'],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
};

export const CONTENT_SECURITY_POLICY = Object.entries(CSP_DIRECTIVES)
  .map(([k, v]) => `${k} ${v.join(' ')}`)
  .join('; ');

/** the header form, for hosts that can send one: adds what a <meta> policy cannot say */
export const CONTENT_SECURITY_POLICY_HEADER = `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`;

/**
 * Writes the policy into the built index.html right after <meta charset>, before any
 * script or stylesheet: a <meta> policy governs only what the parser meets after it.
 */
export function contentSecurityPolicy(): Plugin {
  return {
    name: 'fleming:content-security-policy',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        if (/http-equiv=["']Content-Security-Policy/i.test(html)) throw new Error('index.html already has a Content-Security-Policy <meta>: keep the policy in scripts/content-security-policy.ts only');
        const charset = /<meta charset=[^>]*>/i;
        if (!charset.test(html)) throw new Error('index.html has no <meta charset>: the policy is placed right after it');
        return html.replace(charset, (m) => `${m}\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`);
      },
    },
  };
}
