#!/usr/bin/env bash
# Page speed with the demo data: p50/p95/p99 of the start page and of a
# need's page with its matches, measured with wrk (Debian's package) over
# loopback, 2 connections, 10 s each, signed in as a demo buyer.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
dir="$(mktemp -d)"
go build -o "$dir/arena" ./cmd/arena
"$dir/arena" serve --demo --addr 127.0.0.1:18181 --db "$dir/arena.db" --data-dir ../shared/data >"$dir/log" 2>&1 &
pid=$!
trap 'kill $pid; rm -rf "$dir"' EXIT
for _ in $(seq 1 50); do curl -sf 127.0.0.1:18181/readyz >/dev/null && break; sleep 0.2; done
curl -s -c "$dir/jar" -H 'Content-Type: application/json' \
  -d '{"email":"anna@falun.demo","password":"demo-arena-2026"}' 127.0.0.1:18181/api/v1/auth/login >/dev/null
cookie=$(awk '/arena_session/{print $7}' "$dir/jar")
need=$(curl -s -b "$dir/jar" '127.0.0.1:18181/api/v1/needs?q=trygghetslarm' | sed -E 's/.*"items":\[\{"id":([0-9]+).*/\1/')
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for path in / "/behov/$need"; do
  printf '%-12s ' "$path"
  wrk -t1 -c2 -d10s -s docs/wrk-p95.lua -H "Cookie: arena_session=$cookie" "http://127.0.0.1:18181$path" | tail -1
done
