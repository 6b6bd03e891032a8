/** Types for the parts of unbzip2-stream used directly (its stream wrapper needs Node streams). */
declare module 'unbzip2-stream/lib/bzip2.js' {
  type BitReader = ((n: number | null) => number) & { bytesRead: number };
  const bzip2: {
    header(bits: BitReader): number;
    decompress(bits: BitReader, write: (byte: number) => void, buf: Int32Array, bufsize: number, streamCRC: number | null): number | null;
  };
  export default bzip2;
}
declare module 'unbzip2-stream/lib/bit_iterator.js' {
  export default function bitIterator(nextBuffer: () => Uint8Array | undefined): ((n: number | null) => number) & { bytesRead: number };
}
