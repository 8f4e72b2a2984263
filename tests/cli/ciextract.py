#!/usr/bin/env python3
# tests/cli/ciextract.py - the steps of a CI example of examples/, as the
# forge would run them, for tests/cli/forge.sh.
#
# Usage: python3 ciextract.py github|gitea|gitlab FILE OUTDIR
#
# Parses FILE as YAML and writes, for each step the job runs on the
# board's checkout, in order: OUTDIR/NN.sh (the script), OUTDIR/NN.if
# ("always" when it runs after a failed step, else "success") and
# OUTDIR/NN.name; OUTDIR/env holds the workflow's and the job's variables
# as shell assignments.  Left out, because the test does them itself: the
# checkout (actions/checkout, GitLab's clone), which it simulates with
# git, and the steps that install dipb (GitHub and Gitea: those named
# "Install ..." or "Build ..."; GitLab: before_script), for it runs the
# binary under test: those go to OUTDIR/install/NN.sh and NN.name, for
# tests/cli/install.sh to run on a tarball of make dist.  Also written:
# OUTDIR/pin, "DIPB_VERSION DIPB_URL DIPB_SHA256" of the pinned install;
# OUTDIR/cache, the cache's key (its paths on the next lines); and
# OUTDIR/reports, one "KIND FILE" line for each report the forge takes
# from the job (GitHub: "sarif FILE" for each upload to code scanning,
# which must run after a failed step too; GitLab: "junit FILE",
# "codequality FILE" of artifacts:reports, which must be kept when the job
# fails).  Every problem of the file's structure is printed, one line
# each, "problem: ..."; the exit status is 1 if there was one.
import os
import sys

import yaml

problems = []


def problem(msg):
    problems.append(msg)


def shell_assign(env, out):
    for k, v in env.items():
        v = str(v)
        if "${{" in v:
            problem("variable %s is a forge expression: %s" % (k, v))
            continue
        out.append("%s='%s'" % (k, v.replace("'", "'\\''")))
        out.append("export %s" % k)


ALWAYS = "success() || failure()"


def pin_of(env):
    return " ".join(str(env.get(k, "")) for k in
                    ("DIPB_VERSION", "DIPB_URL", "DIPB_SHA256"))


def github(doc, outdir, extra):
    # PyYAML reads the key 'on' as True (YAML 1.1).
    on = doc.get("on", doc.get(True))
    if not isinstance(on, dict) or "push" not in on or "pull_request" not in on:
        problem("the workflow does not run on push and on pull_request")
    jobs = doc.get("jobs") or {}
    if len(jobs) != 1:
        problem("expected one job, found %d" % len(jobs))
    job = list(jobs.values())[0] if jobs else {}
    env = []
    shell_assign(doc.get("env") or {}, env)
    shell_assign(job.get("env") or {}, env)
    extra["pin"] = pin_of(doc.get("env") or {})
    steps = []
    checkout = None
    for st in job.get("steps") or []:
        name = st.get("name", "")
        if "uses" in st:
            uses = st["uses"]
            w = st.get("with") or {}
            if uses.startswith("actions/checkout@"):
                checkout = st
            elif uses.startswith("actions/cache@"):
                if checkout is not None:
                    problem("step '%s' restores the cache after the checkout" % name)
                extra["cache"] = [str(w.get("key", ""))] + \
                    str(w.get("path", "")).split()
            elif uses.startswith("github/codeql-action/upload-sarif@"):
                if ALWAYS not in str(st.get("if", "")):
                    problem("step '%s' does not run after a failed step" % name)
                if "sarif_file" not in w or "${{" in str(w["sarif_file"]):
                    problem("step '%s': sarif_file is not a path" % name)
                extra["reports"].append("sarif %s" % w.get("sarif_file"))
            else:
                problem("a step uses %s, which the test cannot run" % uses)
            continue
        if "run" not in st:
            problem("step '%s' has neither run nor uses" % name)
            continue
        if name.startswith("Install") or name.startswith("Build"):
            if checkout is not None:
                problem("step '%s' installs after the checkout" % name)
            extra["install"].append((name, st["run"]))
            continue
        if checkout is None:
            problem("step '%s' runs before the checkout" % name)
        cond = st.get("if")
        if cond is None:
            when = "success"
        elif str(cond).strip() in ("success() || failure()", "${{ success() || failure() }}"):
            when = "always"
        else:
            problem("step '%s': condition the test does not know: %s" % (name, cond))
            when = "success"
        if st.get("shell") not in (None, "bash", "sh"):
            problem("step '%s': shell %s" % (name, st["shell"]))
        senv = []
        shell_assign(st.get("env") or {}, senv)
        steps.append((name, when, "\n".join(senv) + ("\n" if senv else "") + st["run"]))
    if checkout is None:
        problem("no actions/checkout step")
    else:
        w = checkout.get("with") or {}
        if str(w.get("fetch-depth")) != "0":
            problem("actions/checkout without fetch-depth: 0")
    return env, steps


def gitlab(doc, outdir, extra):
    rules = ((doc.get("workflow") or {}).get("rules")) or []
    ifs = " ".join(str(r.get("if", "")) for r in rules)
    if "merge_request_event" not in ifs or "CI_COMMIT_BRANCH" not in ifs:
        problem("the pipeline does not run on merge requests and on branches")
    variables = doc.get("variables") or {}
    if str(variables.get("GIT_DEPTH")) != "0":
        problem("GIT_DEPTH is not 0")
    jobs = {k: v for k, v in doc.items()
            if isinstance(v, dict) and "script" in v}
    if len(jobs) != 1:
        problem("expected one job, found %d" % len(jobs))
    job = list(jobs.values())[0] if jobs else {}
    env = []
    shell_assign(variables, env)
    shell_assign(job.get("variables") or {}, env)
    extra["pin"] = pin_of(variables)
    cache = job.get("cache") or {}
    extra["cache"] = [str(cache.get("key", ""))] + \
        [str(p) for p in cache.get("paths") or []]
    for i, item in enumerate(job.get("before_script") or []):
        extra["install"].append(("before_script %d" % (i + 1), str(item)))
    artifacts = job.get("artifacts") or {}
    reports = artifacts.get("reports") or {}
    if reports and artifacts.get("when") != "always":
        problem("the reports are not kept when the job fails (artifacts:when)")
    for kind in sorted(reports):
        for f in ([reports[kind]] if isinstance(reports[kind], str)
                  else reports[kind]):
            extra["reports"].append("%s %s" % (kind, f))
    steps = []
    for i, item in enumerate(job.get("script") or []):
        steps.append(("script %d" % (i + 1), "success", str(item)))
    return env, steps


def main():
    kind, path, outdir = sys.argv[1:4]
    with open(path) as f:
        doc = yaml.safe_load(f)
    if not isinstance(doc, dict):
        problem("not a YAML mapping")
        doc = {}
    extra = {"pin": "", "cache": [], "reports": [], "install": []}
    env, steps = (gitlab if kind == "gitlab" else github)(doc, outdir, extra)
    os.makedirs(os.path.join(outdir, "install"), exist_ok=True)
    for name in ("pin", "cache", "reports"):
        v = extra[name]
        with open(os.path.join(outdir, name), "w") as f:
            f.write((v if isinstance(v, str) else "\n".join(v)) + "\n")
    for i, (name, script) in enumerate(extra["install"]):
        base = os.path.join(outdir, "install", "%02d" % (i + 1))
        with open(base + ".sh", "w") as f:
            f.write(script if script.endswith("\n") else script + "\n")
        with open(base + ".name", "w") as f:
            f.write(name + "\n")
    with open(os.path.join(outdir, "env"), "w") as f:
        f.write("\n".join(env) + "\n")
    for i, (name, when, script) in enumerate(steps):
        base = os.path.join(outdir, "%02d" % (i + 1))
        with open(base + ".sh", "w") as f:
            f.write(script if script.endswith("\n") else script + "\n")
        with open(base + ".if", "w") as f:
            f.write(when + "\n")
        with open(base + ".name", "w") as f:
            f.write(name + "\n")
    for p in problems:
        print("problem: " + p)
    return 1 if problems else 0


sys.exit(main())
