#!/bin/sh
# tests/cli/sync-random.sh - dipb sync end to end, at random: a board
# shared through a bare repository with examples/pre-receive installed,
# and 4 clones of it, each making SYNC_CHANGES random legal changes
# (default 100 a clone, the issue's figure; the README, "Many clones:
# dipb sync", says what it costs) with 'dipb sync' at random moments
# (after about one change in SYNC_EVERY, default 12), every clone at once
# (background jobs) and, twice, all of them syncing at the same moment.
# The remote is served both ways at once: clones 0 and 2 push and fetch
# through file://, clones 1 and 3 through git daemon on 127.0.0.1
# (started and stopped here; where git daemon is not installed, those
# two clones use file:// too and the daemon half is a skip, never a
# pass).  One run over both transports tests what two runs of one
# transport each did, and more (a daemon push racing a file:// one), at
# half the cost.
#
# Each clone acts as any member of lib.sh's board (nobody signs; the
# member is set through the environment, as lib.sh's 'as' does) and syncs
# as its own member (a drafter of every group, a reviewer who drafts for
# supply-chain-security, a reviewer, the secretary): a replayed change of
# another member is committed and tagged in that member's name, as dipb
# verify's identity rule wants (dipb-sync(1)).  SYNC_MIXED=0: each clone
# acts as its own member only.  The changes are chosen from what 'dipb
# list --format json' says each record is, among those the member may make:
# new records, most in one working group so that ids collide, edits,
# review requests, endorsements, requests for changes, objections,
# submissions, decisions, actions and withdrawals.  A change is known by
# its author and author date (each gets a second of its own, on one day),
# which a replay keeps (dipb-sync(1)).
#
# A sync's lines are matched with the clone's local changes, in order:
# one line each.  When it pushed ("pushed to origin main", or "origin main
# is up to date"), landed is final; when it did not, only the remote
# moving (exit 4) is acceptable, its dropped changes are final and its
# landed ones stay local under their new tags.  At the end, after a last
# sync in every clone one after another, and one more each that must find
# nothing to do:
#   - every change a sync reported as landed and pushed is upstream
#     exactly once, under the tag the sync named, with its record, event
#     and author; a renumbered record is on stdout (OLD -> NEW) and its
#     changes carry Dipb-Renumbered-From;
#   - every change a sync reported as dropped has its reason, and
#     refs/dipb/dropped/<tag> in that clone (an annotated tag on its old
#     commit whose message is the reason), and is not upstream;
#   - no change is neither landed nor dropped, and upstream has nothing
#     else;
#   - ids and tag names are unique upstream (git for-each-ref): each
#     record's tags are numbered 1..N once each, one drafted tag a record,
#     one tag a commit;
#   - dipb verify is clean on the server (a fresh clone of it) and in
#     every clone, git fsck --strict everywhere, every clone at the
#     server's tip;
#   - nothing needed a person: every command runs with stdin from
#     /dev/null and GIT_TERMINAL_PROMPT=0, and a command that hangs for 5
#     minutes is a failure.
#
# What keeps it cheap enough for make check at 100 a clone (the README
# has the figures): one 'dipb list' serves up to 4 changes, each of
# another record (a change of one record leaves every other's legal moves
# as they were), and is made again after every sync; the driver's own
# checks cost one git log and one git for-each-ref a sync, not git
# processes for each change; and the racing loop's dipb runs (its
# changes, its syncs and, over file://, the hook's 'dipb verify' of their
# pushes) run without LeakSanitizer's scan at exit (ASAN_OPTIONS detect_leaks=0, as
# crash.sh and race.sh do), a third of a sanitized process: memory errors
# are caught all the same, and the last syncs and the checks of the end
# keep the scan.  Most of what is left is the syncs: each round is some
# 35 processes (git fetch, git push, the hook and its 'dipb verify'), and
# a clone whose push was overtaken while the hook ran fetches, replays and
# pushes again.
#
# Every change (its tag) and every sync (exit status, stdout, stderr) is
# logged in $TROOT/<transports>/c<N>.log (KEEP=1 keeps them).  The random
# seed is printed first; RANDOM_SEED=N replays a run's choices (the
# interleaving of the clones is the machine's).
#
# Environment: SYNC_CHANGES (changes a clone, default 100), SYNC_EVERY
# (a clone syncs at random after one change in about that many, default
# 12), RANDOM_SEED,
# SYNC_TRANSPORTS (default "mixed", as above; "file" or "daemon": every
# clone through that one; "file daemon": one run each), SYNC_MIXED.
. "$(dirname "$0")/lib.sh"

CLONES=4
CHANGES=${SYNC_CHANGES:-100}
SYNC_EVERY=${SYNC_EVERY:-12}
export SYNC_EVERY
SEED=${RANDOM_SEED:-$(date +%s)}
TRANSPORTS=${SYNC_TRANSPORTS:-mixed}
# The member each clone is (lib.sh's keys): a drafter of every group, a
# reviewer who drafts for supply-chain-security, a reviewer, the
# secretary.  Each clone acts as any member (SYNC_MIXED=0: as its own
# only), and syncs as its own.
OWNERS='drafter rev3 rev1 secretary'
echo "# random seed $SEED (RANDOM_SEED=$SEED replays it), $CHANGES changes in each of $CLONES clones"
GIT_TERMINAL_PROMPT=0
export GIT_TERMINAL_PROMPT

# --- The driver of one clone ---------------------------------------------------
#
# driver.py STATE CLONE K STEPS SEED NCLONES BARRIERS OWNER MODE
#
# MODE run: STEPS random changes, syncing at random (and at the two
# barriers, with every other clone); final: one sync; idle: one sync that
# must find nothing to do.  STATE (JSON) keeps the clone's changes, their
# outcomes, its syncs and the problems seen, across calls.
cat >"$TROOT/driver.py" <<'PY'
import json, os, random, re, subprocess, sys, time

(state_path, clone, k, steps, seed, nclones, barriers, owner,
    mode) = sys.argv[1:10]
k, steps, seed, nclones = int(k), int(steps), int(seed), int(nclones)
TROOT = os.environ["TROOT"]
MIXED = os.environ.get("SYNC_MIXED", "1") != "0"
HANG = 300
EVERY = max(1, int(os.environ.get("SYNC_EVERY", "12")))

# The test board of lib.sh: key -> name, email, roles, drafting groups
# (None: every group).
MEMBERS = {
    "chair": ("Clara Chair", "chair@example.org", {"chair"}, None),
    "secretary": ("Sam Secretary", "secretary@example.org",
        {"secretary"}, None),
    "icdrafter": ("Ida Drafter", "ida@example.org", {"drafter"},
        {"industrial-capacity"}),
    "drafter": ("Dan Drafter", "dan@example.org", {"drafter"}, None),
    "rev1": ("Rita Reviewer", "rita@example.org", {"reviewer"}, None),
    "rev2": ("Rolf Reviewer", "rolf@example.org", {"reviewer"}, None),
    "rev3": ("Roza Reviewer", "roza@example.org", {"reviewer", "drafter"},
        {"supply-chain-security"}),
}
# Every change of the run on one day, a second of its own: clone k's
# change i at T0 + i * nclones + k.
T0 = 1772456400		# 2026-03-02 13:00:00 UTC
# The racing loop's dipb runs (its changes, its syncs, the remote's hook
# they push to) without LeakSanitizer's scan at exit, a third of a
# sanitized process; the last syncs and the checks of the end keep it
# (memory errors are caught either way).
if mode == "run" and os.environ.get("ASAN_OPTIONS"):
    os.environ["ASAN_OPTIONS"] += ":detect_leaks=0"

if os.path.exists(state_path):
    with open(state_path) as f:
        st = json.load(f)
else:
    st = {"changes": [], "syncs": [], "problems": []}
log = open(os.path.join(os.path.dirname(state_path), "c%d.log" % k), "a")
rng = random.Random(seed * 100 + k)


def problem(msg):
    st["problems"].append(msg)
    log.write("PROBLEM: %s\n" % msg)


def env_as(key, when=None):
    name, email = MEMBERS[key][0], MEMBERS[key][1]
    e = dict(os.environ)
    for v in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        e.pop(v, None)
    e.update(GIT_AUTHOR_NAME=name, GIT_AUTHOR_EMAIL=email,
        GIT_COMMITTER_NAME=name, GIT_COMMITTER_EMAIL=email)
    if when is not None:
        d = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(when))
        e.update(GIT_AUTHOR_DATE=d, GIT_COMMITTER_DATE=d)
    return e


def run(cmd, env=None):
    try:
        p = subprocess.run(cmd, cwd=clone, env=env or os.environ,
            stdin=subprocess.DEVNULL, capture_output=True, text=True,
            timeout=HANG)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return -1, "", "hung for %d s (waiting for a person?)" % HANG


def git(*args):
    return run(["git"] + list(args))[1]


def drafts_in(key, wg):
    return "drafter" in MEMBERS[key][2] and (MEMBERS[key][3] is None or
        wg in MEMBERS[key][3])


def choose(recs, i):
    """A legal change, for the records as dipb list shows them, by a
    member this clone acts as: (member, argv, extra environment), or
    None when there is none."""
    mark = "c%d-%d" % (k, i)
    us = sorted(MEMBERS) if MIXED else [owner]
    by = {}
    def add(kind, rec, whos):
        whos = [m for m in whos if m in us]
        if whos:
            by.setdefault(kind, []).append((rec, whos))
    for r in recs:
        s, wg, author = r["status"], r["working_group"], r["author"]
        drafters = [m for m in MEMBERS if drafts_in(m, wg)]
        reviewers = [m for m in MEMBERS if "reviewer" in MEMBERS[m][2] and
            MEMBERS[m][1] != author]
        if s in ("draft", "returned"):
            add("edit", r, drafters)
            add("request", r, drafters)
        if s == "in-review":
            add("endorse", r, reviewers)
            add("request-changes", r, reviewers)
            add("object", r, reviewers)
        if s == "endorsed":
            add("submit", r, ["secretary"])
        if s == "submitted":
            add("decide", r, ["secretary"])
        # Only the actions of a decision in force are tracked
        # (dipb-workflow(7)).
        if s == "decided" and r.get("actions") and \
                (r.get("decision") or {}).get("outcome") in ("agreed", "noted"):
            add("action", r, ["secretary"])
        if s in ("draft", "returned", "in-review", "endorsed"):
            add("withdraw", r, ["secretary"])
    # Most new records in one working group, so that ids collide.
    wgs = [wg for wg in ("supply-chain-security", "industrial-capacity")
        if [m for m in us if drafts_in(m, wg)]]
    weights = {"recommend": 18, "edit": 10, "request": 14, "endorse": 22,
        "request-changes": 4, "object": 2, "submit": 10, "decide": 8,
        "action": 8, "withdraw": 2}
    kinds = (["recommend"] if wgs else []) + sorted(by)
    if not kinds:
        return None
    kind = rng.choices(kinds, [weights[x] for x in kinds])[0]
    if kind == "recommend":
        wg = rng.choices(wgs, [80, 20][:len(wgs)])[0]
        who = rng.choice([m for m in us if drafts_in(m, wg)])
        path = os.path.join(TROOT, "draft-%s.yaml" % mark)
        with open(path, "w") as f:
            f.write("title: Recommendation %s\nworking_group: %s\n"
                "classification: NATO UNCLASSIFIED\npriority: medium\n"
                "summary: |\n  Drafted in clone %d at step %d.\n"
                "actions:\n  - text: First action of %s.\n"
                "    owner: Board secretariat\n"
                "  - text: Second action of %s.\n"
                "    owner: National Armaments Directors\n"
                % (mark, wg, k, i, mark, mark))
        return who, ["recommend", "--from", path, "--no-edit"], {}
    r, whos = rng.choice(by[kind])
    who = rng.choice(whos)
    rid = r["id"]
    if kind == "edit":
        return who, ["edit", rid], {"EDITOR": os.path.join(TROOT,
            "ed-title"), "EDIT_TITLE": "Edited %s" % mark}
    if kind == "request":
        return who, ["review", rid, "--request"], {}
    if kind in ("endorse", "request-changes", "object"):
        return who, ["review", rid, "--" + kind, "-m", "Review %s." % mark], {}
    if kind == "submit":
        return who, ["submit", rid, "--reference", "REF-%s" % mark], {}
    if kind == "decide":
        return who, ["decide", rid, "--outcome", rng.choice(["agreed",
            "noted", "deferred", "declined"]), "-m", "Decision %s." % mark], {}
    if kind == "action":
        acts = r["actions"]
        n = rng.randrange(len(acts))
        to = rng.choice([x for x in ("done", "dropped", "open")
            if x != acts[n].get("state", "open")])
        return who, ["action", rid, str(n + 1), "--" + to, "-m",
            "Action %s." % mark], {}
    return who, ["withdraw", rid, "-m", "Withdrawn %s." % mark], {}


TAG = re.compile(r"^(?:[A-Z]+-[0-9]{4}|board)/[0-9]+-[a-z-]+$")


# The records as the last 'dipb list' showed them, and those changed
# here since (a change of one record leaves every other's legal moves as
# they were, so one list serves several changes, each of another
# record); listed again after a sync, and after LIST_EVERY changes.
LIST_EVERY = 4
listed = {"recs": None, "touched": set(), "uses": 0}


def change(i):
    if listed["recs"] is None or listed["uses"] >= LIST_EVERY:
        rc, out, err = run(["dipb", "list", "--format", "json"])
        if rc != 0:
            problem("step %d: dipb list exits %d: %s" % (i, rc,
                err.strip()))
            return
        listed.update(recs=json.loads(out), touched=set(), uses=0)
    listed["uses"] += 1
    pick = choose([r for r in listed["recs"]
        if r["id"] not in listed["touched"]], i)
    if pick is None:
        log.write("change %d: nothing %s may do\n" % (i, owner))
        sync("nothing to do")
        return
    who, argv, extra = pick
    if argv[0] != "recommend":
        listed["touched"].add(argv[1])
    when = T0 + i * nclones + k
    e = env_as(who, when)
    e.update(extra)
    rc, out, err = run(["dipb"] + argv, e)
    tags = [l for l in err.splitlines() if TAG.match(l)]
    log.write("change %d: %s: dipb %s: exit %d: %s\n" % (i, who,
        " ".join(argv), rc, " ".join(tags)))
    if rc != 0 or len(tags) != 1:
        problem("step %d: %s: dipb %s: exit %d (a legal change): %s" %
            (i, who, " ".join(argv), rc, err.strip()))
        return
    st["changes"].append({"step": i, "who": who, "email": MEMBERS[who][1],
        "date": when, "argv": argv, "tag": tags[0], "name": tags[0],
        "commit": None, "outcome": None})


def tag_map():
    """The clone's tags, one git process: name -> (commit, author email,
    author date)."""
    m = {}
    for l in git("for-each-ref", "--format=%(refname:strip=2) "
            "%(*objectname) %(*authoremail) %(*authordate:unix)",
            "refs/tags").splitlines():
        n, h, e, t = (l.split(" ") + ["", "", ""])[:4]
        m[n] = (h, e.strip("<>"), t)
    return m


def local_names(tm):
    """Each change still local is in the clone, under its tag (its commit
    is found by author and date); tm: tag_map()."""
    commits = {}
    for l in git("log", "--first-parent", "--format=%H %ae %at",
            "HEAD").splitlines():
        h, e, t = l.split()
        commits[(e, int(t))] = h
    tags = {}
    for n, v in tm.items():
        tags.setdefault(v[0], []).append(n)
    for c in st["changes"]:
        if c["outcome"] is not None:
            continue
        h = commits.get((c["email"], c["date"]))
        if h is None or tags.get(h, []) != [c["name"]]:
            problem("local change %s (first %s) is not in the clone under "
                "its tag: commit %s, tags %s" % (c["name"], c["tag"], h,
                tags.get(h)))
            continue
        c["commit"] = h


LANDED = re.compile(r"^landed (\S+)(?: \(was (\S+)\))?$")
DROPPED = re.compile(r"^dropped (\S+?): (.+)$")
RENUMBER = re.compile(r"^([A-Z]+-[0-9]{4}) -> ([A-Z]+-[0-9]{4})$")


def sync(why):
    """One dipb sync, its lines matched with the local changes: final
    when it pushed (or found the remote up to date), else the dropped
    ones final and the landed ones still local, under their new tags."""
    pend = [c for c in st["changes"] if c["outcome"] is None]
    # Each local change's commit, as the clone has it before the sync.
    local_names(tag_map())
    e = env_as(owner)
    t0 = time.time()
    rc, out, err = run(["dipb", "sync"], e)
    t1 = time.time()
    listed["recs"] = None
    tm = tag_map()
    n = len(st["syncs"])
    pushed = ("pushed to origin main" in err.splitlines() or
        "origin main is up to date" in err.splitlines())
    st["syncs"].append({"why": why, "start": t0, "end": t1, "rc": rc,
        "pushed": pushed, "stdout": out, "stderr": err,
        "pending": len(pend)})
    log.write("sync %d (%s, %d local): exit %d\n" % (n, why, len(pend), rc))
    for l in out.splitlines():
        log.write("  stdout: %s\n" % l)
    for l in err.splitlines():
        log.write("  stderr: %s\n" % l)
    where = "sync %d (exit %d)" % (n, rc)
    lines = [l for l in err.splitlines()
        if l.startswith("landed ") or l.startswith("dropped ")]
    if rc not in (0, 1, 6) or not pushed:
        # Only the remote moving may stop a sync of legal changes.
        if rc != 4:
            problem("%s: not pushed, and not 4 (the remote kept moving): "
                "%s" % (where, err.strip()[-3000:]))
    if (lines or pushed) and len(lines) != len(pend):
        problem("%s: %d landed/dropped lines for %d local changes" %
            (where, len(lines), len(pend)))
    landed = dropped = 0
    renamed = set()
    for c, l in zip(pend, lines):
        m, d = LANDED.match(l), DROPPED.match(l)
        if m:
            old = m.group(2) or m.group(1)
            new = m.group(1)
        elif d:
            old = d.group(1)
        else:
            problem("%s: not a landed or dropped line: %s" % (where, l))
            continue
        if old != c["name"]:
            problem("%s: '%s' where the next local change is %s "
                "(not in order, or not one line each)" % (where, l,
                c["name"]))
            continue
        if m:
            landed += 1
            if old.split("/")[0] != new.split("/")[0]:
                renamed.add((old.split("/")[0], new.split("/")[0]))
            c["name"] = new
            # Landed here: the tag names the change (its author, date).
            h, who = tm.get(new, ("", "", ""))[0], list(tm.get(new, ())[1:])
            if who != [c["email"], str(c["date"])]:
                problem("%s: local tag %s does not name the change %s "
                    "(%s at %d)" % (where, new, c["tag"], c["email"],
                    c["date"]))
            if h:
                c["commit"] = h
            if pushed:
                c["outcome"] = "landed"
                c["new"] = new
                c["sync"] = n
        else:
            dropped += 1
            c["outcome"] = "dropped"
            c["reason"] = d.group(2)
            c["sync"] = n
            ref = "refs/dipb/dropped/" + old
            typ = git("cat-file", "-t", ref).strip()
            body = git("cat-file", "tag", ref) if typ == "tag" else ""
            obj = body.split("\n", 1)[0].replace("object ", "")
            msg = body.split("\n\n", 1)[1].strip() if "\n\n" in body else ""
            if typ != "tag" or obj != c["commit"] or msg != c["reason"]:
                problem("%s: %s: %s is not an annotated tag on %s whose "
                    "message is the reason (type %s, object %s, message "
                    "%r)" % (where, l, ref, c["commit"], typ or "none",
                    obj, msg))
    if pushed:
        if rc == 0 and dropped:
            problem("%s: exit 0 but %d dropped" % (where, dropped))
        if rc == 1 and not (landed and dropped):
            problem("%s: exit 1 with %d landed, %d dropped" % (where,
                landed, dropped))
        if rc == 6 and (landed or not dropped):
            problem("%s: exit 6 with %d landed, %d dropped" % (where,
                landed, dropped))
        tip = git("rev-parse", "HEAD").strip()
        up = git("rev-parse", "refs/remotes/origin/main").strip()
        if tip != up:
            problem("%s: HEAD %s is not origin/main %s" % (where, tip, up))
    said = set()
    for l in out.splitlines():
        m = RENUMBER.match(l)
        if m is None:
            problem("%s: stdout line is not 'OLD -> NEW': %s" % (where, l))
        else:
            said.add((m.group(1), m.group(2)))
    if said != renamed:
        problem("%s: stdout renumbered %s, the landed lines %s" % (where,
            sorted(said), sorted(renamed)))
    # Whatever happened, each change still local is in the clone, one
    # tag on it.
    local_names(tm)
    return rc


def barrier(j):
    open(os.path.join(barriers, "b%d-%d" % (j, k)), "w").close()
    t = time.time()
    while len([x for x in os.listdir(barriers)
            if x.startswith("b%d-" % j)]) < nclones:
        if time.time() - t > HANG:
            problem("barrier %d: the other clones never came" % j)
            return
        time.sleep(0.05)


if mode == "run":
    meet = {steps // 3: 1, 2 * steps // 3: 2}
    for i in range(steps):
        if i in meet:
            barrier(meet[i])
            sync("all at once %d" % meet[i])
        elif i > 0 and rng.random() < 1.0 / EVERY:
            sync("random")
        change(i)
elif mode == "final":
    sync("last")
elif mode == "idle":
    pend = [c for c in st["changes"] if c["outcome"] is None]
    rc = sync("idle")
    s = st["syncs"][-1]
    if rc != 0 or s["stdout"] or pend or [l for l in s["stderr"].splitlines()
            if l.startswith(("landed ", "dropped "))]:
        problem("a sync with nothing to do: exit %d, %d local changes, "
            "stdout %r" % (rc, len(pend), s["stdout"]))
with open(state_path, "w") as f:
    json.dump(st, f)
PY

# The checks of the end, over every clone's state and the server.
# check.py DIR BARE NCLONES: writes DIR/check.<name>, the problems each
# check found (empty: none).
cat >"$TROOT/check.py" <<'PY'
import json, os, re, subprocess, sys

d, bare, nclones = sys.argv[1], sys.argv[2], int(sys.argv[3])
base = open(os.path.join(d, "base")).read().split()
sts = [json.load(open(os.path.join(d, "state%d.json" % k)))
    for k in range(nclones)]
out = {n: [] for n in ("driver", "outcome", "landed", "dropped", "nothing",
    "unique", "renumbered", "together")}


def git(*args):
    return subprocess.run(["git", "--git-dir", bare] + list(args),
        capture_output=True, text=True).stdout

for k, st in enumerate(sts):
    out["driver"] += ["clone %d: %s" % (k, p) for p in st["problems"]]

# The server's history: commit -> author, date, trailers; tags.
ups = {}
order = []
for l in git("log", "--first-parent", "--format=%H%x09%ae%x09%at%x09"
        "%(trailers:key=Dipb-Record,valueonly,separator=%x2C)%x09"
        "%(trailers:key=Dipb-Event,valueonly,separator=%x2C)%x09"
        "%(trailers:key=Dipb-Renumbered-From,valueonly,separator=%x2C)",
        "refs/heads/main").splitlines():
    h, e, t, rec, ev, ren = l.split("\t")
    ups[h] = (e, int(t), rec, ev, ren)
    order.append(h)
tags = {}
for l in git("for-each-ref", "--format=%(refname:strip=2)%09%(objecttype)"
        "%09%(*objectname)", "refs/tags").splitlines():
    n, typ, h = l.split("\t")
    tags[n] = (typ, h)
byident = {}
for h, v in ups.items():
    byident.setdefault((v[0], v[1]), []).append(h)

landed = set()
for k, st in enumerate(sts):
    for c in st["changes"]:
        who = "clone %d: change %s (step %d, %s at %d)" % (k, c["tag"],
            c["step"], c["email"], c["date"])
        hs = byident.get((c["email"], c["date"]), [])
        if c["outcome"] is None:
            out["outcome"].append(who + ": neither landed nor dropped")
        elif c["outcome"] == "landed":
            new = c["new"]
            rec, ev = new.split("/")[0], re.sub(r"^[0-9]+-", "",
                new.split("/")[1])
            if len(hs) != 1:
                out["landed"].append("%s: landed as %s, upstream %d times"
                    % (who, new, len(hs)))
                continue
            h = hs[0]
            landed.add(h)
            if tags.get(new) != ("tag", h):
                out["landed"].append("%s: upstream tag %s is %s, not an "
                    "annotated tag on its commit %s" % (who, new,
                    tags.get(new), h))
            if ups[h][2:4] != (rec, ev):
                out["landed"].append("%s: upstream commit has Dipb-Record "
                    "%s, Dipb-Event %s; its tag says %s" % (who, ups[h][2],
                    ups[h][3], new))
            old = c["name"].split("/")[0]
            if old != rec and ups[h][4] != old:
                out["renumbered"].append("%s: renumbered %s -> %s, but "
                    "Dipb-Renumbered-From is '%s'" % (who, old, rec,
                    ups[h][4]))
        else:
            if hs:
                out["dropped"].append("%s: dropped (%s), yet upstream" %
                    (who, c["reason"]))
            if not c.get("reason", "").strip():
                out["dropped"].append(who + ": dropped without a reason")

# Upstream: the set-up's commits and the landed changes, nothing else.
extra = [h for h in order if h not in landed and h not in base]
out["nothing"] += ["upstream commit %s (%s at %d, %s %s) is no landed change"
    % (h, ups[h][0], ups[h][1], ups[h][2], ups[h][3]) for h in extra]
missing = [h for h in base if h not in ups]
out["nothing"] += ["set-up commit %s is gone" % h for h in missing]

# Ids and tag names: per record, numbers 1..N once each; one drafted tag
# per record file; one tag per commit, every tag on the branch.
per = {}
for n, (typ, h) in tags.items():
    m = re.match(r"^([A-Z]+-[0-9]{4}|board)/([0-9]+)-([a-z-]+)$", n)
    if m is None:
        out["unique"].append("a tag that is no dipb tag: " + n)
        continue
    per.setdefault(m.group(1), []).append(int(m.group(2)))
    if typ != "tag":
        out["unique"].append(n + " is not annotated")
    if h not in ups:
        out["unique"].append(n + " is not on the branch")
for rec, ns in per.items():
    if sorted(ns) != list(range(1, len(ns) + 1)):
        out["unique"].append("%s's tags are numbered %s" % (rec, sorted(ns)))
files = [os.path.basename(p)[:-5] for p in git("ls-tree", "--name-only",
    "refs/heads/main", "recommendations/").split()]
for f in files:
    if [n for n in tags if n.startswith(f + "/") and n.endswith("-drafted")
            ] != [f + "/1-drafted"]:
        out["unique"].append("%s: not exactly one drafted tag, 1" % f)
if len(set(h for _, h in tags.values())) != len(tags):
    out["unique"].append("two tags on one commit")
if len(tags) != len(order):
    out["unique"].append("%d tags for %d commits" % (len(tags), len(order)))

# Several clones synced at the same time (and pushed: exit 0 or 1).
spans = [(s["start"], s["end"], k) for k, st in enumerate(sts)
    for s in st["syncs"]]
overlap = sum(1 for a in spans for b in spans
    if a[2] < b[2] and a[0] < b[1] and b[0] < a[1])
if overlap == 0:
    out["together"].append("no two clones' syncs ever overlapped")

for n, v in out.items():
    with open(os.path.join(d, "check." + n), "w") as f:
        f.write("".join(x + "\n" for x in v))
nl = sum(1 for st in sts for c in st["changes"] if c["outcome"] == "landed")
nd = sum(1 for st in sts for c in st["changes"] if c["outcome"] == "dropped")
ns = sum(len(st["syncs"]) for st in sts)
n4 = sum(1 for st in sts for s in st["syncs"] if s["rc"] == 4)
print("%d changes: %d landed, %d dropped; %d syncs (%d exit 4), %d "
    "overlapping pairs" % (nl + nd + sum(1 for st in sts for c in
    st["changes"] if c["outcome"] is None), nl, nd, ns, n4, overlap))
PY

# The editor of an edit: a new title, which $EDIT_TITLE gives.
cat >"$TROOT/ed-title" <<'EOF'
#!/bin/sh
sed "s/^title: .*/title: $EDIT_TITLE/" "$1" >"$1.tmp" && cat "$1.tmp" >"$1" &&
    rm -f "$1.tmp"
EOF
chmod +x "$TROOT/ed-title"
export TROOT

# --- The board every run starts from ----------------------------------------
#
# A few records already on their way, so that every kind of change can be
# chosen from the first step: two in review, one endorsed, one decided.
at 2026-03-02
new_board
CLEAN=$BOARD
as drafter
for t in One Two Three Four; do
	cat >"$TROOT/setup.yaml" <<EOF
title: Set-up $t
working_group: industrial-capacity
classification: NATO UNCLASSIFIED
priority: medium
summary: |
  Set-up record $t.
actions:
  - text: First action of $t.
    owner: Board secretariat
  - text: Second action of $t.
    owner: National Armaments Directors
EOF
	dipb recommend --from "$TROOT/setup.yaml" --no-edit >/dev/null 2>&1
done
drive IC-0001 in-review
drive IC-0002 in-review
drive IC-0003 endorsed
drive IC-0004 decided
today
nobody
check 'set-up: the board verifies' dipb verify

# one_run NAME: the whole test over transport NAME: file, daemon, or
# mixed (even clones file://, odd ones git daemon).
one_run() {
	_dir=$TROOT/$1
	mkdir -p "$_dir/srv" "$_dir/barriers"
	cd "$CLEAN" || return 1
	git rev-list HEAD >"$_dir/base"
	share_board "$_dir/srv/board.git" || return 1
	_file=file://$_dir/srv/board.git
	_daemon=
	case $1 in
	daemon | mixed)
		if daemon_start "$_dir/srv" board.git; then
			_daemon=$DAEMON_URL/board.git
		elif [ "$1" = daemon ]; then
			skip "$1: the test over git daemon" "$DAEMON_WHY"
			return 0
		else
			skip "$1: clones 1 and 3 over git daemon (file:// instead)" \
			    "$DAEMON_WHY"
		fi ;;
	esac
	_k=0 _urls=
	_owners=$OWNERS
	for _o in $_owners; do
		case $1 in
		file) _url=$_file ;;
		daemon) _url=$_daemon ;;
		mixed) _url=$_file
			[ $((_k % 2)) -eq 1 ] && [ -n "$_daemon" ] && _url=$_daemon ;;
		esac
		if ! git clone -q "$_url" "$_dir/c$_k" </dev/null \
		    >"$_dir/clone.err" 2>&1; then
			not_ok "$1: git clone $_url" "$(cat "$_dir/clone.err")"
			return 1
		fi
		case " $_urls " in
		*" $_url "*) ;;
		*) _urls="${_urls:+$_urls }$_url" ;;
		esac
		_k=$((_k + 1))
	done
	ok "$1: $CLONES clones of $_urls"

	# Every clone at once, each in the background.
	# (Waited for one by one: a plain wait would wait for git daemon.)
	_k=0 _pids=
	for _o in $_owners; do
		python3 "$TROOT/driver.py" "$_dir/state$_k.json" "$_dir/c$_k" \
		    "$_k" "$CHANGES" "$SEED" "$CLONES" "$_dir/barriers" "$_o" \
		    run </dev/null >"$_dir/driver$_k.out" 2>&1 &
		_pids="$_pids $!"
		_k=$((_k + 1))
	done
	for _p in $_pids; do
		wait "$_p"
	done
	# The last sync of each, one after another; then one more each,
	# which must find nothing to do.
	for _mode in final idle; do
		_k=0
		for _o in $_owners; do
			python3 "$TROOT/driver.py" "$_dir/state$_k.json" \
			    "$_dir/c$_k" "$_k" 0 "$SEED" "$CLONES" \
			    "$_dir/barriers" "$_o" "$_mode" </dev/null \
			    >>"$_dir/driver$_k.out" 2>&1
			_k=$((_k + 1))
		done
	done
	_drv=
	for _f in "$_dir"/driver*.out; do
		[ -s "$_f" ] && _drv="$_drv$(cat "$_f")"
	done
	check_eq "$1: the drivers ran to the end" '' "$_drv"
	_summary=$(python3 "$TROOT/check.py" "$_dir" "$_dir/srv/board.git" \
	    "$CLONES" 2>&1)
	echo "# $1: $_summary"
	_c() {
		check_eq "$1: $2" '' "$(head -n 30 "$_dir/check.$3" 2>&1)"
	}
	_c "$1" 'every change chosen was made, every sync exited 0, 1, 6 (or 4) and said one line for each local change, in order; dropped refs right' driver
	_c "$1" 'no change is neither landed nor dropped' outcome
	_c "$1" 'every landed change is upstream once, under its tag, with its record, event and author' landed
	_c "$1" 'a renumbered record'"'"'s changes carry Dipb-Renumbered-From' renumbered
	_c "$1" 'no dropped change is upstream, each has its reason' dropped
	_c "$1" 'upstream holds the set-up and the landed changes, nothing else' nothing
	_c "$1" 'ids and tag names are unique upstream: 1..N a record, one drafted tag, one tag a commit' unique
	_c "$1" 'several clones synced at the same time' together

	# The server: git fsck, and dipb verify in a fresh clone of it.
	check "$1: git fsck --strict on the server" \
	    git --git-dir="$_dir/srv/board.git" fsck --strict --no-dangling \
	    --no-progress
	check "$1: a fresh clone of the server made" \
	    git clone -q "${_daemon:-$_file}" "$_dir/fresh"
	cd "$_dir/fresh" && check_git_agrees "$1: a fresh clone of the server: dipb verify, git fsck --strict, git status clean"
	cd "$_dir/fresh" && check_history "$1: the server: every commit has one tag, every tag is on the branch"
	# A tip neither side can name is no agreement: both must be commits.
	_tip=$(git --git-dir="$_dir/srv/board.git" rev-parse --verify -q main)
	_k=0
	for _o in $_owners; do
		cd "$_dir/c$_k" || return 1
		check_git_agrees "$1: clone $_k: dipb verify, git fsck --strict, git status clean"
		check_eq "$1: clone $_k is at the server's tip" "$_tip" \
		    "$(git rev-parse --verify -q HEAD || echo unknown)"
		_k=$((_k + 1))
	done
	cd "$TROOT" || return 1
	[ -n "$_daemon" ] && daemon_stop
	return 0
}

for _t in $TRANSPORTS; do
	one_run "$_t"
done
finish
