#!/usr/bin/env bash
# Cut an almanac release: checks, version bump, release commit and annotated tag.
# Nothing is pushed; the release manager pushes with `git push origin main vX.Y.Z`.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: ./scripts/release.sh --version X.Y.Z [--dry-run] [--skip-tests]

  --version X.Y.Z  version to release (semver, no leading v)
  --dry-run        run every check and print what would change; change nothing
  --skip-tests     skip fmt, clippy and tests (only for a re-run right after a green run)
  -h, --help       show this help
USAGE
}

version="" dry_run=false skip_tests=false
while [ $# -gt 0 ]; do
  case "$1" in
    --version) version="${2:-}"; shift 2 ;;
    --version=*) version="${1#*=}"; shift ;;
    --dry-run) dry_run=true; shift ;;
    --skip-tests) skip_tests=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "release.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

die() { echo "release.sh: $*" >&2; exit 1; }

[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?$ ]] || die "--version X.Y.Z is required (got '${version}')"
cd "$(git rev-parse --show-toplevel)"
tag="v$version"

branch=$(git rev-parse --abbrev-ref HEAD)
case "$branch" in
  main|hotfix/*) ;;
  *) die "release from main or a hotfix/ branch, not '$branch'" ;;
esac
[ -z "$(git status --porcelain)" ] || die "the working tree has uncommitted changes"
if git rev-parse -q --verify "refs/tags/$tag" >/dev/null; then die "tag $tag already exists"; fi

if ! $skip_tests; then
  cargo fmt --check
  cargo clippy --all-targets -- -D warnings
  cargo test
fi
cargo run --release -- check
cargo run --release -- build --strict --out "$(mktemp -d)/site"

current=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
echo "release.sh: $current -> $version on $branch, tag $tag"
if $dry_run; then
  echo "release.sh: dry run, nothing changed"
  exit 0
fi

sed -i "0,/^version = \".*\"$/s//version = \"$version\"/" Cargo.toml
cargo update --workspace --offline >/dev/null 2>&1 || cargo update --workspace >/dev/null
git commit -qam "chore(release): $tag"
git tag -a "$tag" -m "almanac $version"
echo "release.sh: tagged $tag. Push with: git push origin $branch $tag"
