#!/usr/bin/env python3
"""An independent computation of `almanac report --format json` from `git`
itself, field by field, following README's definitions (release data: which
tags count, SemVer §11 order, git-cliff's ranges, types of uncalendared tags,
lead time and p90, new contributors). For a project whose calendar lists no
release (`releases: []`) and whose `timezone` is UTC, so that every figure
comes from git:

    almanac -C REPO report --quarter 2021-Q3 --as-of 2021-09-30 --format json > r.json
    bench/report-vs-git.py REPO 2021-Q3 2021-09-30 r.json [TAG_PREFIX (default v)]

Prints every mismatch and a count. Stdlib and git only; not a test.
"""
import json, subprocess, sys, math, datetime as dt
from functools import cmp_to_key

repo, quarter, as_of, report_file = sys.argv[1:5]
prefix = sys.argv[5] if len(sys.argv) > 5 else 'v'
def git(*a): return subprocess.run(['git','-C',repo,*a],capture_output=True,text=True,check=True).stdout

def parse(v):
    core, _, pre = v.split('+')[0].partition('-')
    return [int(x) if x.isdigit() else 0 for x in core.split('.')], (pre.split('.') if pre else None)
def cmp_ident(a,b):
    na, nb = a.isdigit(), b.isdigit()
    if na and nb: return (int(a)>int(b))-(int(a)<int(b))
    if na: return -1
    if nb: return 1
    return (a>b)-(a<b)
def cmp(a,b):
    (ca,pa),(cb,pb)=parse(a),parse(b)
    if ca!=cb: return -1 if ca<cb else 1
    if pa is None and pb is None: return 0
    if pa is None: return 1
    if pb is None: return -1
    for x,y in zip(pa,pb):
        c=cmp_ident(x,y)
        if c: return c
    return (len(pa)>len(pb))-(len(pa)<len(pb))

tags=[]
for line in git('for-each-ref','--format=%(refname:short)|%(objecttype)|%(taggerdate:unix)|%(*objectname)|%(objectname)','refs/tags').splitlines():
    name,typ,tdate,peeled,obj=line.split('|')
    if not name.startswith(prefix): continue
    v=name[len(prefix):]
    if not v[:1].isdigit(): continue
    commit = peeled if typ=='tag' else obj
    if typ=='tag' and not tdate: tdate=None
    if typ=='tag':
        when=int(tdate) if tdate else int(git('log','-1','--format=%ct',commit))
    else:
        when=int(git('log','-1','--format=%ct',commit))
    tags.append((v,name,commit,when))
tags.sort(key=cmp_to_key(lambda a,b: cmp(a[0],b[0])))
as_of_d=dt.date.fromisoformat(as_of)
day=lambda t: dt.datetime.fromtimestamp(t,dt.timezone.utc).date()
tags=[t for t in tags if day(t[3])<=as_of_d]
def is_ancestor(a,b):
    return a==b or subprocess.run(['git','-C',repo,'merge-base','--is-ancestor',a,b]).returncode==0
def commits_of(i):
    v,name,commit,when=tags[i]
    final='-' not in v.split('+')[0]
    prev=None
    for j in range(i-1,-1,-1):
        if final and '-' in tags[j][0].split('+')[0]: continue
        if is_ancestor(tags[j][2],commit): prev=tags[j][2]; break
    rng=[commit]+(['^'+prev] if prev else [])
    out=git('log','--no-merges','--use-mailmap','--format=%ct|%aN',*rng).splitlines()
    return [(int(l.split('|',1)[0]),l.split('|',1)[1]) for l in out]
def median_p90(xs):
    if not xs: return None,None
    xs=sorted(xs); n=len(xs)
    m=xs[n//2] if n%2 else (xs[n//2-1]+xs[n//2])/2
    p=xs[min(max(math.ceil(0.9*n),1),n)-1]
    return round(m,2), round(p,2)
y,q=int(quarter[:4]),int(quarter[-1])
first=dt.date(y,3*q-2,1); last=(dt.date(y+(q==4),(3*q)%12+1,1)-dt.timedelta(1))
inq=lambda d: first<=d<=last
rep=json.load(open(report_file))
def ver_type(v):
    finals=[t[0] for t in tags if '-' not in t[0] and cmp(t[0],v)<0]
    c=parse(v)[0]+[0,0,0]
    if finals:
        p=parse(max(finals,key=cmp_to_key(cmp)))[0]+[0,0,0]
        return 'major' if p[0]!=c[0] else 'minor' if p[1]!=c[1] else 'patch'
    return 'major' if c[1]==0 and c[2]==0 else 'minor' if c[2]==0 else 'patch'
mine={'shipped':[], 'prereleases':[]}
pooled=[]; contributors=set()
for i,(v,name,commit,when) in enumerate(tags):
    if not inq(day(when)): continue
    cs=commits_of(i)
    lead=[(when-ct)/86400 for ct,_ in cs]
    m,p=median_p90(lead)
    row=dict(version=v,type=ver_type(v),actual=str(day(when)),commits=len(cs),lead_time_days=m,lead_time_p90_days=p,contributors=sorted({a for _,a in cs}))
    if '-' in v.split('+')[0]: mine['prereleases'].append(row)
    else:
        mine['shipped'].append(row); pooled+=lead; contributors|=set(row['contributors'])
m,p=median_p90(pooled)
mine['stats']=dict(released=len(mine['shipped']),release_frequency=round(len(mine['shipped'])/3,2),lead_time_days=m,lead_time_p90_days=p)
mine['contributors']=sorted(contributors)
first_commit={}
for l in git('log','--no-merges','--use-mailmap','--format=%ct|%aN','HEAD',*[t[2] for t in tags]).splitlines():
    ct,a=l.split('|',1); ct=int(ct)
    first_commit[a]=min(first_commit.get(a,ct),ct)
mine['new_contributors']=sorted(a for a,t in first_commit.items() if inq(day(t)) and day(t)<=as_of_d)
mism=0; fields=0
def cmpv(path,a,b):
    global mism,fields
    fields+=1
    if a!=b and not (isinstance(a,float) and isinstance(b,(int,float)) and abs(a-b)<1e-9):
        mism+=1; print('MISMATCH',path,'almanac:',a,'git:',b)
for key in ['shipped','prereleases']:
    A={r['version']:r for r in rep[key]}; B={r['version']:r for r in mine[key]}
    cmpv(key+'.versions',sorted(A,key=cmp_to_key(cmp)),sorted(B,key=cmp_to_key(cmp)))
    for v in B:
        if v in A:
            for f in ['type','actual','commits','lead_time_days','lead_time_p90_days','contributors']:
                cmpv(f'{key}[{v}].{f}',A[v][f],B[v][f])
for f in mine['stats']: cmpv('stats.'+f,rep['stats'][f],mine['stats'][f])
cmpv('contributors',rep['contributors'],mine['contributors'])
cmpv('new_contributors',sorted(rep['new_contributors']),mine['new_contributors'])
print(f'{quarter}: {fields} fields compared, {mism} mismatches')
