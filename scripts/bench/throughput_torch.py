#!/usr/bin/python3
"""Measure fine-tuning and evaluation throughput of paint's demo encoder rebuilt in PyTorch.

This is the reference side of scripts/bench/throughput.sh. The network, loss, optimiser, clipping, batch sizes and
data path mirror dev.paint.shared.model (EncoderSpec.DEMO, Encoder, EncoderTrainer, AccuracyEvaluator, ImageBatches)
so that the only difference from the Java driver is the framework that runs them. Prints one JSON object.
"""

import argparse
import gzip
import json
import math
import pathlib
import struct
import time

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

# EncoderSpec.DEMO: two 3x3 convolutions, one hidden layer, a 128-dimensional embedding, logits scaled by 20.
CONV_CHANNELS = (64, 128)
HIDDEN_UNITS = (256,)
EMBEDDING_DIM = 128
LOGIT_SCALE = 20.0
IMAGE_SIZE = 28
CLASSES = 10
# Encoder.l2Normalize adds this to the norm, not to the squared sum as F.normalize would.
NORM_EPSILON = 1e-12

# trainer-service defaults (TrainerConfig.Defaults) and AccuracyEvaluator.BATCH_SIZE.
TRAIN_BATCH_SIZE = 128
EVAL_BATCH_SIZE = 64
LEARNING_RATE = 1e-4
WEIGHT_DECAY = 0.1
WARMUP_STEPS = 50
MAX_GRAD_NORM = 1.0


class DemoEncoder(nn.Module):
    """The layers of Encoder.buildBlock for EncoderSpec.DEMO: conv, ReLU, 2x2 max pool per stage, then dense layers."""

    def __init__(self):
        super().__init__()
        self.convs = nn.ModuleList()
        channels = 1
        for filters in CONV_CHANNELS:
            self.convs.append(nn.Conv2d(channels, filters, kernel_size=3, padding=1))
            channels = filters
        pooled = IMAGE_SIZE >> len(CONV_CHANNELS)
        features = channels * pooled * pooled
        self.hidden = nn.ModuleList()
        for units in HIDDEN_UNITS:
            self.hidden.append(nn.Linear(features, units))
            features = units
        self.proj = nn.Linear(features, EMBEDDING_DIM)

    def forward(self, images):
        x = images
        for conv in self.convs:
            x = F.max_pool2d(F.relu(conv(x)), kernel_size=2, stride=2)
        x = torch.flatten(x, 1)
        for linear in self.hidden:
            x = F.relu(linear(x))
        x = self.proj(x)
        return x / (x.square().sum(dim=1, keepdim=True).sqrt() + NORM_EPSILON)


def read_idx(path):
    """Read a gzip-compressed IDX file of unsigned bytes (the MNIST family's format) into a numpy array."""
    data = gzip.decompress(pathlib.Path(path).read_bytes())
    magic, = struct.unpack(">I", data[:4])
    dimensions = magic & 0xFF
    shape = struct.unpack(">" + "I" * dimensions, data[4:4 + 4 * dimensions])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dimensions).reshape(shape)


def load_training_images(data_dir):
    """Load Fashion-MNIST's training split as uint8 [N, 1, 28, 28] and int64 labels, timing the decode."""
    started = time.perf_counter()
    images = read_idx(pathlib.Path(data_dir) / "train-images-idx3-ubyte.gz")
    labels = read_idx(pathlib.Path(data_dir) / "train-labels-idx1-ubyte.gz")
    pixels = torch.from_numpy(images.copy()).reshape(-1, 1, IMAGE_SIZE, IMAGE_SIZE)
    targets = torch.from_numpy(labels.astype(np.int64))
    seconds = time.perf_counter() - started
    return pixels, targets, seconds


def batches(pixels, labels, batch_size, order):
    """Yield float32 batches in [0, 1] as ImageBatches.forEachBatch builds them: gather, convert, divide by 255."""
    count = len(order)
    for start in range(0, count, batch_size):
        index = order[start:start + batch_size]
        yield pixels[index].float().div_(255.0), labels[index]


def random_head(generator):
    """Unit-norm random class embeddings, as ClassificationHead.random builds for pretraining."""
    head = torch.randn(CLASSES, EMBEDDING_DIM, generator=generator)
    return head / head.norm(dim=1, keepdim=True)


def warmup_cosine(total_steps):
    """WarmupCosineSchedule as a LambdaLR factor."""
    def factor(step):
        if step < WARMUP_STEPS:
            return (step + 1) / WARMUP_STEPS
        progress = min(1.0, (step - WARMUP_STEPS) / max(1, total_steps - WARMUP_STEPS))
        return 0.5 * (1 + math.cos(math.pi * progress))
    return factor


def measure_training(pixels, labels, steps, epochs, generator):
    """Train for 1 warm-up epoch plus `epochs` timed ones of `steps` batches each; return the timed images/s."""
    images = steps * TRAIN_BATCH_SIZE
    encoder = DemoEncoder()
    class_embeddings = random_head(generator).t().contiguous()
    optimizer = torch.optim.AdamW(encoder.parameters(), lr=LEARNING_RATE, weight_decay=WEIGHT_DECAY)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, warmup_cosine(steps * (epochs + 1)))

    seconds = 0.0
    for epoch in range(epochs + 1):
        order = torch.randperm(images, generator=generator)
        started = time.perf_counter()
        for batch, targets in batches(pixels, labels, TRAIN_BATCH_SIZE, order):
            logits = encoder(batch).matmul(class_embeddings).mul_(LOGIT_SCALE)
            loss = F.cross_entropy(logits, targets)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            # EncoderTrainer reads every step's loss to stop on divergence, so the reference does too.
            if not math.isfinite(loss.item()):
                raise RuntimeError(f"Training loss became {loss.item()}: check that the recipe matches EncoderTrainer")
            nn.utils.clip_grad_norm_(encoder.parameters(), MAX_GRAD_NORM)
            optimizer.step()
            schedule.step()
        if epoch > 0:
            seconds += time.perf_counter() - started
    return images * epochs / seconds


def accuracy(encoder, class_embeddings, pixels, labels):
    """Top-1 accuracy in percent, batch by batch as AccuracyEvaluator.accuracy computes it."""
    correct = 0
    with torch.no_grad():
        for batch, targets in batches(pixels, labels, EVAL_BATCH_SIZE, torch.arange(len(labels))):
            predicted = encoder(batch).matmul(class_embeddings).argmax(dim=1)
            correct += int((predicted == targets).sum())
    return 100.0 * correct / len(labels)


def measure_evaluation(pixels, labels, images, generator):
    """Evaluate a fresh encoder on the first `images` images after a warm-up pass over a tenth of them."""
    encoder = DemoEncoder().eval()
    class_embeddings = random_head(generator).t().contiguous()
    warmup = max(EVAL_BATCH_SIZE, images // 10)
    accuracy(encoder, class_embeddings, pixels[:warmup], labels[:warmup])

    started = time.perf_counter()
    accuracy(encoder, class_embeddings, pixels[:images], labels[:images])
    return images / (time.perf_counter() - started)


def measure_data_path(pixels, labels, steps, epochs, generator):
    """Build the batches of 1 warm-up and `epochs` timed epochs with the model replaced by a no-op; return images/s."""
    images = steps * TRAIN_BATCH_SIZE
    seconds = 0.0
    for epoch in range(epochs + 1):
        order = torch.randperm(images, generator=generator)
        started = time.perf_counter()
        for _batch, _targets in batches(pixels, labels, TRAIN_BATCH_SIZE, order):
            pass
        if epoch > 0:
            seconds += time.perf_counter() - started
    return images * epochs / seconds


def loaded_blas():
    """Return the BLAS libraries this process has mapped, which LD_LIBRARY_PATH or Debian's alternative choose."""
    torch.ones(2, 2).matmul(torch.ones(2, 2))
    libraries = set()
    for line in pathlib.Path("/proc/self/maps").read_text().splitlines():
        path = line.split()[-1]
        if "blas" in pathlib.Path(path).name:
            libraries.add(path)
    return ", ".join(sorted(libraries)) or "unknown"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="directory with Fashion-MNIST's IDX files")
    parser.add_argument("--threads", type=int, required=True, help="intra-op threads (torch.set_num_threads)")
    parser.add_argument("--interop-threads", type=int, default=1, help="inter-op threads, default 1")
    parser.add_argument("--train-steps", type=int, required=True, help="batches of 128 per training epoch")
    parser.add_argument("--train-epochs", type=int, required=True, help="timed epochs after one warm-up epoch")
    parser.add_argument("--eval-images", type=int, required=True, help="images in the timed evaluation pass")
    parser.add_argument("--seed", type=int, default=0, help="seed of weights, head and shuffling, default 0")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(args.interop_threads)
    torch.manual_seed(args.seed)
    generator = torch.Generator().manual_seed(args.seed)

    pixels, labels, decode_seconds = load_training_images(args.data)
    result = {
        "framework": "pytorch",
        "torch_version": torch.__version__,
        "blas": loaded_blas(),
        "threads": torch.get_num_threads(),
        "interop_threads": torch.get_num_interop_threads(),
        "decode_images_per_second": len(labels) / decode_seconds,
        "data_path_images_per_second": measure_data_path(pixels, labels, args.train_steps, args.train_epochs,
                                                         generator),
        "train_images_per_second": measure_training(pixels, labels, args.train_steps, args.train_epochs, generator),
        "eval_images_per_second": measure_evaluation(pixels, labels, args.eval_images, generator),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
