"""Chunked reading and writing of safetensors checkpoints, single files or sharded, for the benchmark references.

Only the standard library: the references bring their own arithmetic (numpy or torch). Every tensor is read in
chunks into one reused buffer, so memory stays bounded as in paint's merge.
"""

import json
import os
import struct

INDEX_SUFFIX = ".safetensors.index.json"
DTYPE_SIZES = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1}


def read_header(path):
    """Return (data start offset, header dict) of one safetensors file."""
    with open(path, "rb") as file:
        (length,) = struct.unpack("<Q", file.read(8))
        header = json.loads(file.read(length))
    return 8 + length, header


def checkpoint_files(path):
    """Return the safetensors files of a checkpoint: the shards of an index by name, or the file itself."""
    if not path.endswith(INDEX_SUFFIX):
        return [path]
    with open(path) as file:
        weight_map = json.load(file)["weight_map"]
    directory = os.path.dirname(path)
    return [os.path.join(directory, shard) for shard in sorted(set(weight_map.values()))]


def output_files(output, base):
    """Return the files an output gets for the base's layout: shards beside an output index, else one file."""
    if not output.endswith(INDEX_SUFFIX):
        return [output]
    directory = os.path.dirname(output)
    return [os.path.join(directory, os.path.basename(shard)) for shard in checkpoint_files(base)]


def tensors(header):
    """Return (name, dtype, element count, begin, end) of every tensor, in the order of their data."""
    entries = []
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        count = 1
        for dimension in entry["shape"]:
            count *= dimension
        entries.append((name, entry["dtype"], count, begin, end))
    return sorted(entries, key=lambda entry: entry[3])


def merge_files(base_path, fine_tuned_path, output_path, mix_chunk, chunk_elements):
    """Write output_path with base_path's header and, per tensor, mix_chunk(dtype, base bytes, fine-tuned bytes).

    mix_chunk returns the mixed bytes of a floating-point chunk; integer and BOOL tensors are copied from the base.
    """
    base_start, base_header = read_header(base_path)
    fine_tuned_start, fine_tuned_header = read_header(fine_tuned_path)
    buffer_bytes = chunk_elements * 8
    base_buffer = bytearray(buffer_bytes)
    fine_tuned_buffer = bytearray(buffer_bytes)
    os.makedirs(os.path.dirname(os.path.abspath(output_path)), exist_ok=True)
    with open(base_path, "rb", buffering=0) as base, open(fine_tuned_path, "rb", buffering=0) as fine_tuned, \
            open(output_path, "wb", buffering=0) as output:
        base.seek(0)
        output.write(base.read(base_start))
        for name, dtype, count, begin, end in tensors(base_header):
            fine_tuned_begin = fine_tuned_header[name]["data_offsets"][0]
            size = DTYPE_SIZES[dtype]
            for offset in range(0, end - begin, buffer_bytes):
                length = min(buffer_bytes, end - begin - offset)
                base_view = memoryview(base_buffer)[:length]
                base.seek(base_start + begin + offset)
                base.readinto(base_view)
                if dtype not in ("F32", "F16", "BF16"):
                    output.write(base_view)
                    continue
                fine_tuned_view = memoryview(fine_tuned_buffer)[:length]
                fine_tuned.seek(fine_tuned_start + fine_tuned_begin + offset)
                fine_tuned.readinto(fine_tuned_view)
                output.write(mix_chunk(dtype, base_view, fine_tuned_view, length // size))
        os.fsync(output.fileno())


def merge_checkpoint(base, fine_tuned, output, mix_chunk, chunk_elements):
    """Merge every shard (or the single file) of base and fine_tuned into output, copying the index if any."""
    for base_file, fine_tuned_file, output_file in zip(checkpoint_files(base), checkpoint_files(fine_tuned),
                                                       output_files(output, base)):
        merge_files(base_file, fine_tuned_file, output_file, mix_chunk, chunk_elements)
    if output.endswith(INDEX_SUFFIX):
        with open(base) as source, open(output, "w") as target:
            target.write(source.read())
