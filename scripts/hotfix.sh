#!/usr/bin/env bash
# Start a hotfix: a hotfix/X.Y.Z branch from the released tag, ready for
# cherry-picks and then `./scripts/release.sh --version X.Y.Z` on that branch.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: ./scripts/hotfix.sh --from vX.Y.Z --version X.Y.Z [--dry-run]

  --from TAG       the released tag to fix (for example v1.1.0)
  --version X.Y.Z  the hotfix version (for example 1.1.1)
  --dry-run        check and print the plan; create nothing
  -h, --help       show this help
USAGE
}

from="" version="" dry_run=false
while [ $# -gt 0 ]; do
  case "$1" in
    --from) from="${2:-}"; shift 2 ;;
    --from=*) from="${1#*=}"; shift ;;
    --version) version="${2:-}"; shift 2 ;;
    --version=*) version="${1#*=}"; shift ;;
    --dry-run) dry_run=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "hotfix.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

die() { echo "hotfix.sh: $*" >&2; exit 1; }

[ -n "$from" ] || die "--from TAG is required"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "--version X.Y.Z is required (got '${version}')"
git rev-parse -q --verify "refs/tags/$from" >/dev/null || die "no tag '$from' (run git fetch --tags)"
branch="hotfix/$version"
if git rev-parse -q --verify "refs/heads/$branch" >/dev/null; then die "branch $branch already exists"; fi
[ -z "$(git status --porcelain)" ] || die "the working tree has uncommitted changes"

echo "hotfix.sh: $branch from $from"
if $dry_run; then
  echo "hotfix.sh: dry run, nothing created"
  exit 0
fi
git switch -q -c "$branch" "$from"
echo "hotfix.sh: on $branch. Cherry-pick the fix, then: ./scripts/release.sh --version $version"
