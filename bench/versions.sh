#!/usr/bin/env bash
# Versions benchmark (issue 21): a generated handbook of --pages pages in a
# git repository with --tags release tags, each release changing --change
# percent of the pages, built with `versions:` (every tag kept) beside a
# single-version build of the same working tree (`versions:` left out).
# Runs alternate between the two, each first in every other round; every run
# writes a new output folder after `sync`, outside the timing. Prints
# min/median/max wall time and peak memory, and the ratio of the medians.
#
#   bench/versions.sh [--pages 1000] [--tags 10] [--change 2] [--commits 1] [--runs 5] [--work DIR]
#
# --commits N makes each release of N commits, each changing one of the
# release's pages: a longer history for the last-updated walks.
#
# Needs python3, git and /usr/bin/time.
set -euo pipefail

pages=1000 tags=10 change=2 commits=1 runs=5 work="${TMPDIR:-/tmp}/almanac-bench-versions"
while [ $# -gt 0 ]; do
  case "$1" in
    --pages) pages="$2"; shift 2 ;;
    --tags) tags="$2"; shift 2 ;;
    --change) change="$2"; shift 2 ;;
    --commits) commits="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "versions.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done

here="$(cd "$(dirname "$0")/.." && pwd)"
gen="$here/../shared/bench/gen-corpus.py"
[ -f "$gen" ] || { echo "versions.sh: $gen not found (../shared beside the repository)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "versions.sh: /usr/bin/time is needed (apt-get install time)" >&2; exit 2; }
cargo build --release --quiet --manifest-path "$here/Cargo.toml" --bin almanac
almanac="$here/target/release/almanac"
mkdir -p "$work"
rm -rf "$work/runs"

repo="$work/repo-$pages-$tags-$change"
[ "$commits" = 1 ] || repo="$repo-$commits"
if [ ! -f "$repo/.done" ]; then
  rm -rf "$repo" "$work/corpus"
  python3 "$gen" --pages "$pages" --out "$work/corpus" --only content --force >/dev/null
  mkdir -p "$repo"
  cp -r "$work/corpus/content" "$repo/content"
  # The history: the first release, then each later one changing `change`
  # percent of the pages (a paragraph added to each), tagged at fixed dates.
  python3 - "$repo" "$tags" "$change" "$commits" <<'EOF'
import os, subprocess, sys
repo, tags, change, commits = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
def git(*args, date=None):
    env = dict(os.environ)
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", "-C", repo, *args], check=True, env=env, stdout=subprocess.DEVNULL)
pages = sorted(
    os.path.join(d, f)
    for d, _, files in os.walk(os.path.join(repo, "content"))
    for f in files
    if f.endswith(".md") and not f.startswith("_")
)
per_release = max(1, round(len(pages) * change / 100))
with open(os.path.join(repo, "almanac.yaml"), "w") as f:
    f.write(f"title: Versioned handbook\nversions:\n  keep: {tags}\n")
with open(os.path.join(repo, "single.yaml"), "w") as f:
    f.write("title: Versioned handbook\n")
git("init", "-q", "-b", "main")
git("config", "user.email", "bench@example.org")
git("config", "user.name", "Bench")
git("add", "-A")
git("commit", "-qm", "release 1.0.0", date="2025-01-01T12:00:00Z")
git("tag", "v1.0.0")
for t in range(1, tags):
    changed = [pages[(t * per_release + i) % len(pages)] for i in range(per_release)]
    for i in range(per_release):
        with open(changed[i], "a") as f:
            f.write(f"\n\nRevised for 1.{t}.0: the step above now runs in CI.\n")
    for c in range(1, commits):
        git("commit", "-qam", f"work {c} for 1.{t}.0", date=f"2025-{1 + t % 12:02d}-14T12:00:00Z")
        with open(changed[c % len(changed)], "a") as f:
            f.write(f"\nStep {c}.\n")
    git("commit", "-qam", f"release 1.{t}.0", date=f"2025-{1 + t % 12:02d}-15T12:00:00Z")
    git("tag", f"v1.{t}.0")
EOF
  touch "$repo/.done"
fi

# measure NAME CMD... : appends "seconds kilobytes" to $work/NAME.times.
measure() {
  local name="$1" start end; shift
  sync
  start=$(date +%s%N)
  ( cd "$repo" && /usr/bin/time -f "%M" -o "$work/$name.last" "$@" >/dev/null 2>&1 ) \
    || { echo "versions.sh: $name failed: $*" >&2; exit 1; }
  end=$(date +%s%N)
  echo "$(awk -v ns=$((end - start)) 'BEGIN { printf "%.3f", ns / 1e9 }') $(tail -n 1 "$work/$name.last")" \
    >> "$work/$name.times"
}

stats() {
  sort -n -k"$2" "$1" | awk -v c="$2" '{v[NR]=$c} END {print v[1], v[int((NR+1)/2)], v[NR]}'
}

rm -f "$work/single.times" "$work/versions.times"
mkdir -p "$work/runs"
for ((r = 1; r <= runs; r++)); do
  if ((r % 2)); then order=(single versions); else order=(versions single); fi
  for t in "${order[@]}"; do
    out="$work/runs/$t-$r"
    case "$t" in
      single) measure single "$almanac" --config single.yaml build -q --out "$out" ;;
      versions) measure versions "$almanac" build -q --out "$out" ;;
    esac
  done
done
single_pages=$(find "$work/runs/single-1" -name '*.html' | wc -l)
versions_pages=$(find "$work/runs/versions-1" -name '*.html' | wc -l)
verbose=$(cd "$repo" && "$almanac" build -v --out "$work/runs/verbose" 2>&1)
shared=$(sed -n 's/^versions: \([0-9]*\) pages.* rendered once.*/\1/p' <<< "$verbose")
linked=$(sed -n 's/^versions: \([0-9]*\) pages linked.*/\1/p' <<< "$verbose")
echo "repository: $pages pages, $tags release tags, $change% of the pages changed by each (in $commits commits); $runs alternated runs"
echo "  single build: $single_pages HTML files; with versions: $versions_pages HTML files, ${shared:-0} pages' markdown shared, ${linked:-0} pages linked unrendered"
printf '  %-9s %8s %8s %8s %9s\n' build min median max "peak MB"
for t in single versions; do
  read -r lo mid hi <<< "$(stats "$work/$t.times" 1)"
  read -r _ mem _ <<< "$(stats "$work/$t.times" 2)"
  printf '  %-9s %8.3f %8.3f %8.3f %9.1f\n' "$t" "$lo" "$mid" "$hi" "$(awk -v m="$mem" 'BEGIN { print m / 1024 }')"
done
read -r _ s _ <<< "$(stats "$work/single.times" 1)"
read -r _ v _ <<< "$(stats "$work/versions.times" 1)"
awk -v s="$s" -v v="$v" -v t="$tags" 'BEGIN { printf "  versions / single: %.2fx (medians), for %d versions\n", v / s, t }'
rm -rf "$work/runs"
