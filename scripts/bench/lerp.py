"""A reference contender of the interpolation benchmark: the same merge as paint's, with numpy or torch.

Usage: /usr/bin/python3 lerp.py numpy|torch BASE FINE_TUNED ALPHA OUTPUT

Mixes every F32, F16 and BF16 tensor in float32, (1 - alpha) * base + alpha * fine_tuned, and rounds back to the
stored dtype. Integer tensors are copied from the base. numpy has no bfloat16, so BF16 is widened by a shift and
rounded to nearest even on the bits, the usual way. torch uses torch.lerp. Prints {"seconds": S}, timed from
opening the inputs to the fsync of the output, so that the imports are left out as JVM start-up is for paint.
"""

import sys
import time

import safetensors_stream

CHUNK_ELEMENTS = 1 << 20


def numpy_mixer(alpha):
    import numpy as np

    weight = np.float32(alpha)
    base_weight = np.float32(1.0 - alpha)
    numpy_dtypes = {"F32": np.float32, "F16": np.float16}

    def widen(dtype, data, count):
        if dtype == "BF16":
            bits = np.frombuffer(data, dtype=np.uint16, count=count).astype(np.uint32) << 16
            return bits.view(np.float32)
        return np.frombuffer(data, dtype=numpy_dtypes[dtype], count=count).astype(np.float32)

    def mix_chunk(dtype, base, fine_tuned, count):
        mixed = widen(dtype, base, count)
        mixed *= base_weight
        mixed += weight * widen(dtype, fine_tuned, count)
        if dtype == "F32":
            return mixed
        if dtype == "F16":
            return mixed.astype(np.float16)
        bits = mixed.view(np.uint32)
        bits += np.uint32(0x7FFF) + ((bits >> 16) & np.uint32(1))
        return (bits >> 16).astype(np.uint16)

    return mix_chunk


def torch_mixer(alpha):
    import torch

    torch_dtypes = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}

    def mix_chunk(dtype, base, fine_tuned, count):
        stored = torch_dtypes[dtype]
        base_values = torch.frombuffer(base, dtype=stored, count=count).float()
        fine_tuned_values = torch.frombuffer(fine_tuned, dtype=stored, count=count).float()
        mixed = torch.lerp(base_values, fine_tuned_values, alpha)
        return mixed.to(stored).numpy().view("u1") if dtype != "BF16" else mixed.to(stored).view(torch.int16).numpy()

    return mix_chunk


def main(argv):
    if len(argv) != 6 or argv[1] not in ("numpy", "torch"):
        raise SystemExit("Usage: lerp.py numpy|torch BASE FINE_TUNED ALPHA OUTPUT")
    backend, base, fine_tuned, alpha, output = argv[1], argv[2], argv[3], float(argv[4]), argv[5]
    mix_chunk = numpy_mixer(alpha) if backend == "numpy" else torch_mixer(alpha)

    started = time.perf_counter()
    safetensors_stream.merge_checkpoint(base, fine_tuned, output, mix_chunk, CHUNK_ELEMENTS)
    print('{"seconds": %.6f}' % (time.perf_counter() - started))


if __name__ == "__main__":
    main(sys.argv)
