import { describe, expect, it } from 'vitest';
import { JsonElementStream } from './json-elements';

function split(text: string, pieces: number[] = [text.length]) {
  const got: [string, string, number][] = [];
  const members: [string, unknown][] = [];
  const s = new JsonElementStream(
    new Set(['nodes', 'edges']),
    {
      element: (k, t, line) => got.push([k, t, line]),
      member: (k, t) => members.push([k, JSON.parse(t)]),
      fail: (line, cause) => {
        throw new Error(`line ${line}: ${cause}`);
      },
    },
    1000,
  );
  let at = 0;
  for (const n of pieces) {
    s.push(text.slice(at, at + n));
    at += n;
  }
  s.push(text.slice(at));
  s.end();
  return { got, members };
}

const DOC = '{\n "meta": {"a": [1, "]}"]},\n "nodes": [\n  {"name": "say \\"hi\\" [x] {y}", "n": -1.5e3},\n  {"name": "back\\\\"}\n ],\n "flag": true,\n "edges": []\n}\n';

describe('JSON element splitter', () => {
  it('cuts out each array element with its line, whatever strings and brackets it holds', () => {
    const { got, members } = split(DOC);
    expect(got.map(([k, t, l]) => [k, JSON.parse(t), l])).toEqual([
      ['nodes', { name: 'say "hi" [x] {y}', n: -1500 }, 4],
      ['nodes', { name: 'back\\' }, 5],
    ]);
    expect(members).toEqual([
      ['meta', { a: [1, ']}'] }],
      ['flag', true],
    ]);
  });

  it('gives the same result however the text is cut into chunks', () => {
    const whole = split(DOC);
    expect(split(DOC, Array.from({ length: DOC.length }, () => 1))).toEqual(whole);
    expect(split(DOC, [7, 13, 2, 40])).toEqual(whole);
  });

  it('names the line of broken structure, truncation and trailing text', () => {
    expect(() => split('{"nodes": [{"a": 1}\n {"b": 2}]}')).toThrow(/^line 2: not valid JSON \(expected "," or "\]", found "\{/);
    expect(() => split('{"nodes": [{"a": 1},\n')).toThrow('line 2: the JSON ends before its closing brackets: the file is truncated');
    expect(() => split('{"nodes": []}\n\nx')).toThrow(/^line 3: not valid JSON \(expected nothing after the closing "\}"/);
    expect(() => split('[1, 2]')).toThrow(/^line 1: expected a JSON object with "nodes" and "edges", found "\["/);
    const huge = `{"nodes": [{"a": "${'x'.repeat(2000)}"}]}`;
    expect(() => split(huge, new Array(30).fill(100))).toThrow('line 1: no complete node or edge object within 1000 characters');
  });
});
