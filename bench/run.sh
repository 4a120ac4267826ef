#!/usr/bin/env bash
# Build benchmark: almanac beside a bare pulldown-cmark baseline (the floor:
# read, render, write on 2 threads; examples/baseline.rs), Hugo and mdBook
# (when installed) on the same generated corpora, runs alternated so machine
# noise hits them alike.
# Prints median wall time, pages per second and peak memory, and the ratios.
#
#   bench/run.sh [--pages 1000,10000] [--runs 3] [--work DIR]
#
# Needs python3 and /usr/bin/time; Hugo from `apt-get install hugo`,
# mdBook from `cargo install mdbook` (skipped when missing).
set -euo pipefail

pages="1000,10000" runs=3 work="${TMPDIR:-/tmp}/almanac-bench"
while [ $# -gt 0 ]; do
  case "$1" in
    --pages) pages="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done

here="$(cd "$(dirname "$0")/.." && pwd)"
gen="$here/../shared/bench/gen-corpus.py"
[ -f "$gen" ] || { echo "run.sh: $gen not found (../shared beside the repository)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "run.sh: /usr/bin/time is needed (apt-get install time)" >&2; exit 2; }
cargo build --release --quiet --manifest-path "$here/Cargo.toml" --bin almanac --example baseline
almanac="$here/target/release/almanac"
baseline="$here/target/release/examples/baseline"
mkdir -p "$work"

# measure NAME DIR CMD... : appends "seconds kilobytes" to $work/NAME.times
measure() {
  local name="$1" dir="$2"; shift 2
  ( cd "$dir" && /usr/bin/time -f "%e %M" -o "$work/$name.last" "$@" >/dev/null 2>&1 ) \
    || { echo "run.sh: $name failed: $*" >&2; exit 1; }
  cat "$work/$name.last" >> "$work/$name.times"
}

# median of column $2 in file $1
median() { sort -n -k"$2" "$1" | awk -v c="$2" '{v[NR]=$c} END {print v[int((NR+1)/2)]}'; }

IFS=, read -ra sizes <<< "$pages"
for n in "${sizes[@]}"; do
  corpus="$work/corpus-$n"
  if [ ! -f "$corpus/manifest.json" ]; then
    python3 "$gen" --pages "$n" --out "$corpus" --only content,hugo,mdbook --force >/dev/null
  fi
  tools=(almanac baseline)
  command -v hugo >/dev/null && tools+=(hugo)
  command -v mdbook >/dev/null && tools+=(mdbook)
  for t in "${tools[@]}"; do rm -f "$work/$t.times"; done
  for ((r = 1; r <= runs; r++)); do
    for t in "${tools[@]}"; do
      case "$t" in
        almanac) measure almanac "$corpus" "$almanac" build -q --out "$work/out-almanac" ;;
        baseline) rm -rf "$work/out-baseline"; measure baseline "$corpus" "$baseline" content "$work/out-baseline" ;;
        hugo) measure hugo "$corpus/hugo" hugo --quiet -d "$work/out-hugo" ;;
        mdbook) measure mdbook "$corpus/mdbook" mdbook build -d "$work/out-mdbook" ;;
      esac
    done
  done
  built=$(find "$work/out-almanac" -name '*.html' | wc -l)
  echo "corpus: $n pages ($built HTML pages written by almanac), median of $runs alternated runs"
  printf '  %-8s %9s %12s %12s\n' tool seconds pages/s "peak MB"
  base_s=$(median "$work/almanac.times" 1) base_m=$(median "$work/almanac.times" 2)
  for t in "${tools[@]}"; do
    s=$(median "$work/$t.times" 1) m=$(median "$work/$t.times" 2)
    awk -v t="$t" -v s="$s" -v m="$m" -v n="$n" -v bs="$base_s" -v bm="$base_m" 'BEGIN {
      pps = (s > 0) ? n / s : 0
      printf "  %-8s %9.2f %12.0f %12.1f", t, s, pps, m / 1024
      if (t != "almanac") printf "   (%.1fx almanac time, %.1fx almanac memory)", s / (bs > 0 ? bs : 0.01), m / bm
      printf "\n" }'
  done
done
