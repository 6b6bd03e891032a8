#!/usr/bin/env python3
"""Read a safetensors file with only the Python standard library (no numpy, no torch) and print
what it holds as JSON: metadata, and per tensor its dtype, shape, data_offsets and first values.
An independent reader for the files the app writes (src/training/hf/safetensors.ts).

    python3 scripts/check_safetensors.py model.safetensors [N_VALUES]
Exits non-zero with a message on any inconsistency."""
import json
import struct
import sys

SIZES = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1}


def main(path, n_values):
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 8:
        sys.exit(f"{path}: too short")
    (n,) = struct.unpack("<Q", blob[:8])
    if 8 + n > len(blob):
        sys.exit(f"{path}: header length {n} past end of file")
    header = json.loads(blob[8 : 8 + n].decode("utf-8"))
    data = blob[8 + n :]
    meta = header.pop("__metadata__", {})
    out = {"header_bytes": n, "data_bytes": len(data), "metadata": meta, "tensors": {}}
    spans = []
    for name, t in header.items():
        dtype, shape, (begin, end) = t["dtype"], t["shape"], t["data_offsets"]
        numel = 1
        for d in shape:
            numel *= d
        if end - begin != numel * SIZES[dtype]:
            sys.exit(f"{path}: {name}: {end - begin} bytes for {dtype}{shape}")
        spans.append((begin, end, name))
        values = []
        if dtype == "F32":
            k = min(n_values, numel)
            values = list(struct.unpack(f"<{k}f", data[begin : begin + 4 * k]))
            last = struct.unpack("<f", data[end - 4 : end])[0] if numel else None
        else:
            last = None
        out["tensors"][name] = {"dtype": dtype, "shape": shape, "data_offsets": [begin, end], "first": values, "last": last}
    pos = 0
    for begin, end, name in sorted(spans):
        if begin != pos:
            sys.exit(f"{path}: {name} starts at {begin}, expected {pos}")
        pos = end
    if pos != len(data):
        sys.exit(f"{path}: data section is {len(data)} bytes, tensors cover {pos}")
    out["aligned_8"] = (8 + n) % 8 == 0
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 4)
