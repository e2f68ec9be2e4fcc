done = function(summary, latency, requests)
  io.write(string.format("requests %d, p50 %.2f ms, p95 %.2f ms, p99 %.2f ms\n", summary.requests, latency:percentile(50)/1000, latency:percentile(95)/1000, latency:percentile(99)/1000))
end
