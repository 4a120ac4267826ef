#!/usr/bin/env bash
# Build benchmark: almanac beside a bare pulldown-cmark baseline (the floor:
# read, render, write on 2 threads; examples/baseline.rs), Zola, Hugo and
# mdBook (when installed) on the same generated corpora. Runs alternate between the
# tools: each round runs the peers, then almanac and the floor, each of the
# two first in every other round, so machine noise hits them alike; every
# run writes a new output
# folder (a first build, as in CI), after `sync`, outside the timing. Prints
# min/median/max wall time, pages per second and peak memory, and the ratios
# of the medians against the baseline (and almanac against Hugo).
#
#   bench/run.sh [--pages 1000,10000,100000] [--runs 5] [--peers-max 10000]
#                [--zola-max 100000] [--mdbook-max 1000] [--work DIR]
#
# Hugo is skipped above --peers-max pages (it needs about 4.9 GB at
# 10,000), Zola above --zola-max, mdBook above --mdbook-max (10 s at 1,000
# pages: every page holds the whole table of contents). Needs python3 and
# /usr/bin/time; Hugo from `apt-get install hugo`, mdBook from `cargo
# install mdbook`, Zola from $ZOLA or the PATH (no package: `cargo build
# --release` in a clone of getzola/zola); each skipped when missing.
set -euo pipefail

pages="1000,10000,100000" runs=5 peers_max=10000 zola_max=100000 mdbook_max=1000
work="${TMPDIR:-/tmp}/almanac-bench"
while [ $# -gt 0 ]; do
  case "$1" in
    --pages) pages="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --peers-max) peers_max="$2"; shift 2 ;;
    --mdbook-max) mdbook_max="$2"; shift 2 ;;
    --zola-max) zola_max="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
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
zola="${ZOLA:-$(command -v zola || true)}"
mkdir -p "$work"
# Outputs an interrupted run left behind.
rm -rf "$work/runs"

# measure NAME DIR CMD... : appends "seconds kilobytes" to $work/NAME.times.
# Each run writes into a new folder, $out: all are removed only after the
# last run, because ext4 makes creating files slow for a minute after many
# were deleted, which would land on whichever tool runs next.
# The wall time is read from the clock in nanoseconds (`time`'s own is in
# hundredths, too coarse for a 1,000-page build); `time` gives the peak.
measure() {
  local name="$1" dir="$2" start end; shift 2
  sync
  start=$(date +%s%N)
  ( cd "$dir" && /usr/bin/time -f "%M" -o "$work/$name.last" "$@" >/dev/null 2>&1 ) \
    || { echo "run.sh: $name failed: $*" >&2; exit 1; }
  end=$(date +%s%N)
  echo "$(awk -v ns=$((end - start)) 'BEGIN { printf "%.3f", ns / 1e9 }') $(tail -n 1 "$work/$name.last")" \
    >> "$work/$name.times"
}

# stats FILE COLUMN: "min median max" of a column.
stats() {
  sort -n -k"$2" "$1" | awk -v c="$2" '{v[NR]=$c} END {print v[1], v[int((NR+1)/2)], v[NR]}'
}

IFS=, read -ra sizes <<< "$pages"
for n in "${sizes[@]}"; do
  corpus="$work/corpus-$n"
  only=content
  [ "$n" -le "$peers_max" ] && only=content,hugo,mdbook
  [ -n "$zola" ] && [ "$n" -le "$zola_max" ] && only="$only,zola"
  missing=
  for part in ${only//,/ }; do
    [ "$part" = content ] || [ -d "$corpus/$part" ] || missing=1
  done
  if [ ! -f "$corpus/manifest.json" ] || [ -n "$missing" ]; then
    python3 "$gen" --pages "$n" --out "$corpus" --only "$only" --force >/dev/null
  fi
  tools=(almanac baseline)
  [ -n "$zola" ] && [ "$n" -le "$zola_max" ] && tools+=(zola)
  if [ "$n" -le "$peers_max" ]; then
    command -v hugo >/dev/null && tools+=(hugo)
    command -v mdbook >/dev/null && [ "$n" -le "$mdbook_max" ] && tools+=(mdbook)
  fi
  for t in "${tools[@]}"; do rm -f "$work/$t.times"; done
  runs_dir="$work/runs/$n"
  mkdir -p "$runs_dir"
  for ((r = 1; r <= runs; r++)); do
    # The peers first (each in turn first), then almanac and the floor, each
    # first in every other round: what a peer leaves behind (Hugo frees
    # about 5 GB, which this VM hands back to its host, so the next process
    # to take memory pays for faulting it in again) falls on almanac and the
    # floor equally often.
    peers=("${tools[@]:2}")
    order=()
    for ((i = 0; i < ${#peers[@]}; i++)); do
      order+=("${peers[$(((i + r) % ${#peers[@]}))]}")
    done
    if ((r % 2)); then order+=(almanac baseline); else order+=(baseline almanac); fi
    for t in "${order[@]}"; do
      out="$runs_dir/$t-$r"
      case "$t" in
        almanac) measure almanac "$corpus" "$almanac" build -q --out "$out" ;;
        baseline) measure baseline "$corpus" "$baseline" content "$out" ;;
        hugo) measure hugo "$corpus/hugo" hugo --quiet -d "$out" ;;
        zola) measure zola "$corpus/zola" "$zola" build -o "$out" ;;
        mdbook) measure mdbook "$corpus/mdbook" mdbook build -d "$out" ;;
      esac
    done
  done
  built=$(find "$runs_dir/almanac-1" -name '*.html' | wc -l)
  written=$(du -sm "$runs_dir/almanac-1" | cut -f1)
  base_written=$(du -sm "$runs_dir/baseline-1" | cut -f1)
  echo "corpus: $n pages ($built HTML pages, $written MB written by almanac, $base_written MB by the baseline), $runs alternated runs"
  printf '  %-8s %8s %8s %8s %10s %9s %12s\n' tool min median max pages/s "peak MB" "time ratio"
  read -r _ base_s _ <<< "$(stats "$work/baseline.times" 1)"
  for t in "${tools[@]}"; do
    read -r lo mid hi <<< "$(stats "$work/$t.times" 1)"
    read -r _ mem _ <<< "$(stats "$work/$t.times" 2)"
    awk -v t="$t" -v lo="$lo" -v mid="$mid" -v hi="$hi" -v m="$mem" -v n="$n" -v bs="$base_s" 'BEGIN {
      printf "  %-8s %8.3f %8.3f %8.3f %10.0f %9.1f", t, lo, mid, hi, (mid > 0 ? n / mid : 0), m / 1024
      if (t != "baseline") printf " %8.2fx baseline", mid / (bs > 0 ? bs : 0.01)
      printf "\n" }'
  done
  for peer in zola hugo; do
    if [ -f "$work/$peer.times" ] && [[ " ${tools[*]} " == *" $peer "* ]]; then
      read -r _ a _ <<< "$(stats "$work/almanac.times" 1)"
      read -r _ h _ <<< "$(stats "$work/$peer.times" 1)"
      awk -v a="$a" -v h="$h" -v p="$peer" 'BEGIN { printf "  almanac / %s: %.3f (medians)\n", p, a / h }'
    fi
  done
done
# Every output goes only now: deleting a series' files would slow the
# file creation of the next one.
rm -rf "$work/runs"
