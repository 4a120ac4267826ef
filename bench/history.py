#!/usr/bin/env python3
"""Report generation on a long git history: builds a repository holding the
bundled handbook (content/, data/, almanac.yaml, scripts/) and N synthetic
commits (conventional-commit messages, 40 authors, fixed dates from
2025-01-01 to 2026-11-20, a tag for every release of data/calendar.yaml at
its release date), then times `almanac report` and `almanac build` on it.

    bench/history.py [--commits 100000] [--runs 5] [--work DIR]

Stdlib and git only; the repository is made with `git fast-import` and
reused when it already has the wanted number of commits.
"""
import argparse, datetime as dt, os, re, statistics, subprocess, sys, time

here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ap = argparse.ArgumentParser()
ap.add_argument("--commits", type=int, default=100000)
ap.add_argument("--runs", type=int, default=5)
ap.add_argument("--work", default=os.path.join(os.environ.get("TMPDIR", "/tmp"), "almanac-bench"))
args = ap.parse_args()

subprocess.run(["cargo", "build", "--release", "--quiet", "--manifest-path", os.path.join(here, "Cargo.toml")], check=True)
almanac = os.path.join(here, "target", "release", "almanac")
repo = os.path.join(args.work, f"history-{args.commits}")


def release_dates():
    """(version, release date) of every release with an actual date in the calendar."""
    text = open(os.path.join(here, "data", "calendar.yaml")).read()
    out = []
    for block in text.split("- version: ")[1:]:
        version = block.split()[0]
        m = re.search(r"actual: \{[^}]*release: (\d{4}-\d\d-\d\d)", block)
        if m:
            out.append((version, dt.date.fromisoformat(m.group(1))))
    return out


def commit_count():
    try:
        r = subprocess.run(["git", "-C", repo, "rev-list", "--count", "HEAD"], capture_output=True, text=True)
        return int(r.stdout.strip() or 0)
    except (OSError, ValueError):
        return 0


def make_repo():
    subprocess.run(["rm", "-rf", repo], check=True)
    subprocess.run(["git", "init", "-q", "-b", "main", repo], check=True)
    start = int(dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc).timestamp())
    end = int(dt.datetime(2026, 11, 20, tzinfo=dt.timezone.utc).timestamp())
    step = (end - start) / args.commits
    kinds = ["feat", "fix", "docs", "chore", "refactor", "perf", "test", "ci"]
    scopes = ["build", "check", "serve", "report", "calendar", "search", "theme", ""]
    authors = [(f"Dev {i:02}", f"dev{i:02}@example.org") for i in range(40)]
    tags = sorted(release_dates(), key=lambda r: r[1])
    out = []
    w = out.append

    def data(b):
        w(b"data %d\n" % len(b))
        w(b)
        w(b"\n")

    # The first commit: the bundled handbook as it is in this checkout.
    w(b"commit refs/heads/main\nmark :1\n")
    stamp = b"Release Bot <bot@example.org> %d +0000\n" % start
    w(b"author " + stamp + b"committer " + stamp)
    data(b"chore: import the handbook")
    for top in ["content", "data", "scripts"]:
        for root, _, files in os.walk(os.path.join(here, top)):
            for f in sorted(files):
                path = os.path.join(root, f)
                rel = os.path.relpath(path, here).encode()
                mode = b"100755" if os.access(path, os.X_OK) else b"100644"
                w(b"M " + mode + b" inline " + rel + b"\n")
                data(open(path, "rb").read())
    w(b"M 100644 inline almanac.yaml\n")
    data(open(os.path.join(here, "almanac.yaml"), "rb").read())
    tag_at = {}
    next_tag = 0
    for i in range(1, args.commits):
        t = int(start + i * step)
        kind, scope = kinds[i % len(kinds)], scopes[(i // 8) % len(scopes)]
        scope = f"({scope})" if scope else ""
        bang = "!" if i % 997 == 0 else ""
        msg = f"{kind}{scope}{bang}: change number {i}\n\nBody of change {i}.\n".encode()
        name, email = authors[(i * 7) % len(authors)]
        w(b"commit refs/heads/main\nmark :%d\n" % (i + 1))
        stamp = f"{name} <{email}> {t} +0000\n".encode()
        w(b"author " + stamp + b"committer " + stamp)
        data(msg)
        w(b"from :%d\n" % i)
        # Touch a source file (guides keep their history short: one in 500).
        if i % 500 == 0:
            w(b"M 100644 inline content/operations/troubleshooting.md\n")
            data(open(os.path.join(here, "content", "operations", "troubleshooting.md"), "rb").read() + b"\n<!-- %d -->\n" % i)
        else:
            w(b"M 100644 inline src/file-%d.txt\n" % (i % 50))
            data(b"%d\n" % i)
        day = dt.datetime.fromtimestamp(t, dt.timezone.utc).date()
        while next_tag < len(tags) and tags[next_tag][1] <= day:
            tag_at[tags[next_tag][0]] = (i + 1, t)
            next_tag += 1
    for version, (mark, t) in tag_at.items():
        w(b"tag v%s\nfrom :%d\ntagger Release Bot <bot@example.org> %d +0000\n" % (version.encode(), mark, t))
        data(b"Release " + version.encode())
    subprocess.run(["git", "-C", repo, "fast-import", "--quiet"], input=b"".join(out), check=True)
    subprocess.run(["git", "-C", repo, "checkout", "-q", "main"], check=True)


if commit_count() != args.commits:
    began = time.time()
    make_repo()
    print(f"made {repo}: {commit_count()} commits in {time.time() - began:.1f} s", file=sys.stderr)


def timed(cmd):
    began = time.time()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.time() - began


quarter = "2026-Q3"
commands = {
    "report --format json": [almanac, "-C", repo, "report", "--quarter", quarter, "--format", "json"],
    "report (html)": [almanac, "-C", repo, "report", "--quarter", quarter],
    "build": [almanac, "-C", repo, "build", "-q", "--out", os.path.join(args.work, "out-history")],
}
times = {name: [] for name in commands}
for _ in range(args.runs):
    for name, cmd in commands.items():
        times[name].append(timed(cmd))
print(f"history: {commit_count()} commits, report for {quarter}, {args.runs} alternated runs")
print(f"  {'command':<22} {'min':>7} {'median':>7} {'max':>7}")
for name, ts in times.items():
    print(f"  {name:<22} {min(ts):7.2f} {statistics.median(ts):7.2f} {max(ts):7.2f}")
