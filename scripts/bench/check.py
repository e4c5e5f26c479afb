"""Correctness check of the interpolation benchmark: paint's candidate against the numpy and torch candidates.

Usage: /usr/bin/python3 check.py DTYPE BASE FINE_TUNED PAINT NUMPY TORCH

For every floating-point tensor it measures the largest difference between paint's result and each reference in
units in the last place (ulp) of the stored dtype at max(|base|, |fine-tuned|): two float32 mixes that round
differently land a few float32 ulps apart at most, which is at most one ulp after rounding to F16 or BF16.
Integer tensors must equal the base's bytes in all three outputs. Prints one JSON object; "passed" is true when
every difference is within MAX_ULPS and every integer tensor matches.
"""

import json
import sys

import numpy as np

import safetensors_stream

MAX_ULPS = 4
CHUNK_ELEMENTS = 1 << 22


def widen(dtype, raw):
    if dtype == "BF16":
        return (raw.view(np.uint16).astype(np.uint32) << 16).view(np.float32)
    return raw.view({"F32": np.float32, "F16": np.float16}[dtype]).astype(np.float32)


def ulp(dtype, magnitude):
    """Return the spacing of the dtype's values at each magnitude (its smallest spacing below the normal range)."""
    if dtype == "BF16":
        # bfloat16 has float32's exponent and 7 of its 23 mantissa bits, so its spacing is 2^16 float32 spacings.
        return np.spacing(np.maximum(magnitude, np.float32(2.0 ** -126))) * 65536.0
    stored = {"F32": np.float32, "F16": np.float16}[dtype]
    return np.spacing(magnitude.astype(stored)).astype(np.float64)


class Files:
    """Memory-maps the data of every tensor of a checkpoint, single file or sharded."""

    def __init__(self, path):
        self.data = {}
        for file in safetensors_stream.checkpoint_files(path):
            start, header = safetensors_stream.read_header(file)
            raw = np.memmap(file, dtype=np.uint8, mode="r")
            for name, dtype, count, begin, end in safetensors_stream.tensors(header):
                self.data[name] = (dtype, raw[start + begin:start + end])


def main(argv):
    if len(argv) != 7:
        raise SystemExit("Usage: check.py DTYPE BASE FINE_TUNED PAINT NUMPY TORCH")
    base, fine_tuned = Files(argv[2]), Files(argv[3])
    outputs = {"paint": Files(argv[4]), "numpy": Files(argv[5]), "torch": Files(argv[6])}
    max_ulps = {"numpy": 0.0, "torch": 0.0}
    max_abs = {"numpy": 0.0, "torch": 0.0}
    integer_tensors_match = True
    elements = 0

    for name, (dtype, base_raw) in base.data.items():
        if dtype not in ("F32", "F16", "BF16"):
            for output in outputs.values():
                integer_tensors_match &= bool(np.array_equal(output.data[name][1], base_raw))
            continue
        size = safetensors_stream.DTYPE_SIZES[dtype]
        fine_tuned_raw = fine_tuned.data[name][1]
        for begin in range(0, len(base_raw), CHUNK_ELEMENTS * size):
            end = min(len(base_raw), begin + CHUNK_ELEMENTS * size)
            magnitude = np.maximum(np.abs(widen(dtype, base_raw[begin:end])),
                                   np.abs(widen(dtype, fine_tuned_raw[begin:end])))
            spacing = ulp(dtype, magnitude)
            paint = widen(dtype, outputs["paint"].data[name][1][begin:end]).astype(np.float64)
            for reference in ("numpy", "torch"):
                difference = np.abs(paint - widen(dtype, outputs[reference].data[name][1][begin:end]))
                max_abs[reference] = max(max_abs[reference], float(difference.max()))
                max_ulps[reference] = max(max_ulps[reference], float((difference / spacing).max()))
            elements += (end - begin) // size

    passed = integer_tensors_match and all(value <= MAX_ULPS for value in max_ulps.values())
    print(json.dumps({"elements": elements, "max_ulps": max_ulps, "max_abs_diff": max_abs,
                      "integer_tensors_match_base": integer_tensors_match, "tolerance_ulps": MAX_ULPS,
                      "passed": passed}))


if __name__ == "__main__":
    main(sys.argv)
