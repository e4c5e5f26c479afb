/** Benchmarks of paint's kernels (JMH) and the drivers that scripts/bench.sh runs against reference tools. */
package dev.paint.bench;
