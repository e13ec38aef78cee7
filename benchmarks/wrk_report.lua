-- make loadtest: wrk prints 50/75/90/99 % with --latency; this adds the exact 95th percentile
-- and the error counts on one line that benchmarks/loadtest.py reads (latencies in microseconds).
done = function(summary, latency, requests)
  io.write(string.format(
    "WRK_REPORT requests=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d max_us=%d " ..
    "status_errors=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, summary.errors.status, summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.timeout))
end
