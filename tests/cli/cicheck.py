#!/usr/bin/python3
"""cicheck.py - checks of the CI reports of dipb validate and dipb verify
(tests/cli/ci-formats.sh): SARIF 2.1.0 against the published JSON Schema
(tests/sarif/sarif-schema-2.1.0.json) and against the other formats, the
GitLab Code Quality report against its documented fields, JUnit against
the rules of the man page.

Run with Debian's /usr/bin/python3, which python3-jsonschema serves (the
python3 first on PATH may be another, without it).  Each check prints
nothing and exits 0, or prints what is wrong and exits 1.

    cicheck.py schema LOG SCHEMA
    cicheck.py rules LOG MANPAGE            (the rules of the log's tool)
    cicheck.py manrules MANPAGE             (prints the rules, one a line)
    cicheck.py validate-sarif LOG JSONL ROOT
    cicheck.py gitlab REPORT JSONL ROOT
    cicheck.py verify-sarif LOG JSONL ROOT
    cicheck.py verify-junit XML MANPAGE TEXT
    cicheck.py junit-clean XML              (any JUnit report)
    cicheck.py validate-junit XML GCC
    cicheck.py paths FORMAT REPORT          (prints the files a validate
                                             report names, one a line)
    cicheck.py failed FORMAT REPORT STDERR STATUS COMMAND
                                            (the report of a run that
                                             could not finish)
"""
import json
import os
import re
import sys
import urllib.parse
import xml.etree.ElementTree as ET

PROBLEMS = []


def bad(msg):
    PROBLEMS.append(msg)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


# RFC 3986: a URI reference holds only these, '%' only before two hex digits.
URI_CHARS = re.compile(r"^([A-Za-z0-9\-._~!$&'()*+,;=:@/?#\[\]]|%[0-9A-F]{2})*$")


def uri_of(path):
    """A path as dipb must encode it: unreserved and '/' kept."""
    return urllib.parse.quote(os.fsencode(path), safe="/-._~")


def manrules(page):
    """The rules a man page lists: dipb-validate(1)'s RULES section,
    dipb-verify(1)'s Rules subsection; each .It Cm line, in order, once."""
    with open(page, encoding="utf-8") as f:
        lines = f.read().split("\n")
    verify = page.endswith("dipb-verify.1")
    out, inside = [], False
    for line in lines:
        if verify:
            if line == ".Ss Rules":
                inside = True
                continue
            if inside and line.startswith(".Ss "):
                break
        else:
            if line == ".Sh RULES":
                inside = True
                continue
            if inside and line.startswith(".Sh "):
                break
        if inside and line.startswith(".It Cm "):
            for part in line[len(".It "):].split(" , "):
                m = re.match(r"^Cm ([a-z0-9-]+)$", part.strip())
                if not m:
                    bad("%s: cannot read %r" % (page, line))
                    continue
                if m.group(1) not in out:
                    out.append(m.group(1))
    return out


def walk_uris(node, where="$"):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "uri":
                if not isinstance(v, str) or not URI_CHARS.match(v):
                    bad("%s.uri is not an RFC 3986 URI: %r" % (where, v))
            walk_uris(v, where + "." + k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            walk_uris(v, "%s[%d]" % (where, i))


def check_schema(log_path, schema_path):
    import jsonschema
    log, schema = load(log_path), load(schema_path)
    validator = jsonschema.Draft4Validator(schema)
    for e in sorted(validator.iter_errors(log), key=lambda e: list(e.path)):
        bad("schema: %s at %s" % (e.message, "/".join(map(str, e.path))))
    walk_uris(log)


def run_of(log):
    if log.get("version") != "2.1.0":
        bad("version is %r" % log.get("version"))
    runs = log.get("runs") or []
    if len(runs) != 1:
        bad("%d runs, not one" % len(runs))
        return {"tool": {"driver": {"rules": []}}, "results": []}
    return runs[0]


def check_rules(log_path, page):
    run = run_of(load(log_path))
    driver = run["tool"]["driver"]
    for key in ("name", "version", "informationUri"):
        if not isinstance(driver.get(key), str) or not driver[key]:
            bad("tool.driver.%s missing" % key)
    if not re.match(r"^[a-z][a-z0-9+.-]*://", driver.get("informationUri", "")):
        bad("informationUri is not absolute: %r" % driver.get("informationUri"))
    ids = [r.get("id") for r in driver.get("rules", [])]
    want = manrules(page)
    if ids != want:
        bad("the log's rules are not those of %s:\n  log: %s\n  man: %s\n"
            "  only in the log: %s\n  only in the man page: %s" % (
                page, ids, want, sorted(set(ids) - set(want)),
                sorted(set(want) - set(ids))))
    for r in driver.get("rules", []):
        sd = r.get("shortDescription", {}).get("text", "")
        h = r.get("help", {})
        if not sd or "\n" in sd:
            bad("rule %s: shortDescription is not one line" % r.get("id"))
        if not h.get("text") or not h.get("markdown"):
            bad("rule %s: help lacks text or markdown" % r.get("id"))


def check_root(run, root):
    want = "file://" + uri_of(os.path.join(root, ""))
    got = run.get("originalUriBaseIds", {}).get("SRCROOT", {}).get("uri")
    if got != want:
        bad("SRCROOT is %r, not %r" % (got, want))


def rel_to(root, cwd, path):
    """The expected path of a result: relative to root when under it."""
    p = os.path.normpath(os.path.join(cwd, path))
    r = os.path.relpath(p, root)
    return p if r.startswith("..") else r


def check_location(res, path, line, col, i):
    locs = res.get("locations") or []
    if len(locs) != 1:
        bad("result %d: %d locations" % (i, len(locs)))
        return
    phys = locs[0].get("physicalLocation", {})
    art = phys.get("artifactLocation", {})
    if os.path.isabs(path):
        want, base = "file://" + uri_of(path), None
    else:
        want, base = uri_of(path), "SRCROOT"
    if art.get("uri") != want or art.get("uriBaseId") != base:
        bad("result %d: uri %r (base %r), not %r (base %r)" % (
            i, art.get("uri"), art.get("uriBaseId"), want, base))
    reg = phys.get("region")
    if line > 0:
        got = (reg or {}).get("startLine"), (reg or {}).get("startColumn")
        if got != (line, col if col > 0 else None):
            bad("result %d: region %r, not line %d col %d" % (i, got, line, col))
    elif reg is not None:
        bad("result %d: a region for a problem of the whole file" % i)


def check_validate_sarif(log_path, jsonl_path, root):
    run = run_of(load(log_path))
    rules = [r["id"] for r in run["tool"]["driver"].get("rules", [])]
    diags = jsonl(jsonl_path)
    results = run.get("results")
    if not isinstance(results, list) or len(results) != len(diags):
        bad("%s results, %d problems in --format json" % (
            None if results is None else len(results), len(diags)))
        return
    check_root(run, root)
    # dipb-validate(1): columns are characters, which SARIF must be told.
    if run.get("columnKind") != "unicodeCodePoints":
        bad("columnKind is %r, not 'unicodeCodePoints'" % run.get("columnKind"))
    cwd = os.getcwd()
    for i, (res, d) in enumerate(zip(results, diags)):
        if res.get("ruleId") != d["rule"]:
            bad("result %d: ruleId %r, not %r" % (i, res.get("ruleId"), d["rule"]))
        idx = res.get("ruleIndex")
        if not isinstance(idx, int) or idx < 0 or idx >= len(rules) or \
                rules[idx] != d["rule"]:
            bad("result %d: ruleIndex %r does not name %r" % (i, idx, d["rule"]))
        if res.get("level") != d["severity"]:
            bad("result %d: level %r, not %r" % (i, res.get("level"), d["severity"]))
        if res.get("message", {}).get("text") != d["message"]:
            bad("result %d: message %r, not %r" % (
                i, res.get("message"), d["message"]))
        check_location(res, rel_to(root, cwd, d["file"]), d["line"],
                       d["column"], i)


SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def check_gitlab(report_path, jsonl_path, root):
    report = load(report_path)
    diags = jsonl(jsonl_path)
    if not isinstance(report, list):
        bad("the report is not a JSON array")
        return
    if len(report) != len(diags):
        bad("%d issues, %d problems in --format json" % (len(report), len(diags)))
        return
    cwd = os.getcwd()
    seen = set()
    for i, (o, d) in enumerate(zip(report, diags)):
        if set(o) != {"description", "check_name", "fingerprint",
                      "severity", "location"}:
            bad("issue %d: keys %s" % (i, sorted(o)))
            continue
        for k in ("description", "check_name", "fingerprint", "severity"):
            if not isinstance(o[k], str) or not o[k]:
                bad("issue %d: %s is not a string" % (i, k))
        if o["severity"] not in SEVERITIES:
            bad("issue %d: severity %r" % (i, o["severity"]))
        want = "major" if d["severity"] == "error" else "minor"
        if o["severity"] != want:
            bad("issue %d: severity %r for an %s" % (i, o["severity"], d["severity"]))
        if o["description"] != d["message"] or o["check_name"] != d["rule"]:
            bad("issue %d: %r/%r, not %r/%r" % (i, o["description"],
                o["check_name"], d["message"], d["rule"]))
        if not re.match(r"^[0-9a-f]{64}$", o["fingerprint"]):
            bad("issue %d: fingerprint %r" % (i, o["fingerprint"]))
        if o["fingerprint"] in seen:
            bad("issue %d: fingerprint %s given twice" % (i, o["fingerprint"]))
        seen.add(o["fingerprint"])
        loc = o["location"]
        if not isinstance(loc, dict) or set(loc) != {"path", "lines"}:
            bad("issue %d: location %r" % (i, loc))
            continue
        if loc["path"] != rel_to(root, cwd, d["file"]):
            bad("issue %d: path %r, not %r" % (i, loc["path"],
                rel_to(root, cwd, d["file"])))
        lines = loc["lines"]
        begin = lines.get("begin") if isinstance(lines, dict) else None
        if not isinstance(begin, int) or isinstance(begin, bool) or \
                begin != max(d["line"], 1):
            bad("issue %d: lines %r, not begin %d" % (i, lines, max(d["line"], 1)))


def check_verify_sarif(log_path, jsonl_path, root):
    run = run_of(load(log_path))
    rules = [r["id"] for r in run["tool"]["driver"].get("rules", [])]
    found = jsonl(jsonl_path)
    results = run.get("results")
    if not isinstance(results, list) or len(results) != len(found):
        bad("%s results, %d findings in --format json" % (
            None if results is None else len(results), len(found)))
        return
    check_root(run, root)
    for i, (res, f) in enumerate(zip(results, found)):
        if res.get("ruleId") != f["rule"] or \
                rules[res.get("ruleIndex", -1)] != f["rule"]:
            bad("result %d: rule %r/%r, not %r" % (
                i, res.get("ruleId"), res.get("ruleIndex"), f["rule"]))
        if res.get("level") != "error":
            bad("result %d: level %r" % (i, res.get("level")))
        text = "%s %s: %s" % ((f["commit"] or "-")[:12], f["tag"] or "-",
                              f["message"])
        if res.get("message", {}).get("text") != text:
            bad("result %d: message %r, not %r" % (i, res.get("message"), text))
        check_location(res, f["path"] or "dipb.yaml", 0, 0, i)
        props = res.get("properties", {})
        if props.get("commit") != f["commit"] or props.get("tag") != f["tag"]:
            bad("result %d: properties %r, not commit %r tag %r" % (
                i, props, f["commit"], f["tag"]))
        ll = res["locations"][0].get("logicalLocations") or [{}]
        name = f["tag"] or f["commit"]
        if name and ll[0].get("name") != name:
            bad("result %d: logical location %r, not %r" % (i, ll, name))


def check_verify_junit(xml_path, page, text_path):
    root = ET.parse(xml_path).getroot()
    suite = root.find("testsuite")
    cases = suite.findall("testcase")
    names = [c.get("name") for c in cases]
    want = manrules(page)
    if names != want:
        bad("testcases %s, not the rules of %s: %s" % (names, page, want))
    with open(text_path, encoding="utf-8") as f:
        lines = [l for l in f.read().split("\n") if l]
    nfail = 0
    for c in cases:
        mine = [l for l in lines if l.endswith(" [%s]" % c.get("name"))]
        if c.get("classname") != "dipb.verify":
            bad("testcase %s: classname %r" % (c.get("name"), c.get("classname")))
        fail = c.find("failure")
        if not mine:
            if len(c) != 0:
                bad("testcase %s passes but is not empty" % c.get("name"))
            continue
        nfail += 1
        got = fail.text.rstrip("\n").split("\n") if fail is not None else []
        if got != mine:
            bad("testcase %s: failure %r, not %r" % (c.get("name"), got, mine))
    for e in (root, suite):
        if e.get("tests") != str(len(want)) or e.get("failures") != str(nfail):
            bad("%s: tests=%s failures=%s, not %d and %d" % (
                e.tag, e.get("tests"), e.get("failures"), len(want), nfail))


# What XML 1.0 cannot hold (its Char), and the controls it can but a
# terminal would obey: dipb-validate(1) shows them all as '?'.
XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ufffe\uffff]")


def junit_clean(xml_path):
    """The report parsed by python's own XML parser, which refuses what
    XML cannot hold; no control character in its attributes or lines."""
    try:
        root = ET.parse(xml_path).getroot()
    except ET.ParseError as e:
        bad("%s: not well-formed XML: %s" % (xml_path, e))
        return None
    for e in root.iter():
        for k, v in e.attrib.items():
            if CONTROL.search(v):
                bad("<%s %s=%r>: a control character" % (e.tag, k, v))
        for l in (e.text or "").split("\n"):
            if CONTROL.search(l):
                bad("<%s>: a control character in %r" % (e.tag, l))
    return root


def check_validate_junit(xml_path, gcc_path):
    """Each testcase's lines are the gcc format's of its file, one line a
    problem, as many as its failure message counts."""
    root = junit_clean(xml_path)
    if root is None:
        return
    with open(gcc_path, encoding="utf-8", errors="surrogateescape") as f:
        want = [XML_BAD.sub("?", l) for l in f.read().split("\n") if l]
    got = []
    for c in root.iter("testcase"):
        for e in list(c):
            lines = (e.text or "").rstrip("\n").split("\n")
            got += lines
            if e.tag != "failure":
                continue
            m = re.match(r"(\d+) errors?, (\d+) warnings?$", e.get("message"))
            if not m or int(m[1]) + int(m[2]) != len(lines):
                bad("testcase %r: %r but %d lines" % (
                    c.get("name"), e.get("message"), len(lines)))
    if sorted(got) != sorted(want):
        bad("the lines %r, not the gcc format's %r" % (got, want))


def report_paths(fmt, path):
    """The files a dipb validate report names, sorted, each once: the
    paths as a forge or a CI system reads them (a SARIF uri decoded, one
    outside SRCROOT as its file: URI)."""
    got = set()
    if fmt == "github":
        with open(path, encoding="utf-8") as f:
            for l in f:
                m = re.match(r"::(?:error|warning) file=([^,:]*)", l)
                if m:
                    got.add(urllib.parse.unquote(m[1]))
    elif fmt == "gitlab":
        got = {o["location"]["path"] for o in load(path)}
    elif fmt == "sarif":
        for r in run_of(load(path))["results"]:
            a = r["locations"][0]["physicalLocation"]["artifactLocation"]
            got.add(urllib.parse.unquote(a["uri"])
                    if a.get("uriBaseId") == "SRCROOT" else a["uri"])
    elif fmt == "json":
        got = {o["file"] for o in jsonl(path)}
    elif fmt == "junit":
        got = {c.get("file") for c in ET.parse(path).getroot().iter("testcase")}
    else:
        sys.exit("cicheck.py: unknown format %r" % fmt)
    return sorted(got)


def gh_unescape(s):
    """The data of a GitHub workflow command as the runner reads it."""
    return s.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")


def check_failed(fmt, path, err_path, status, command):
    """The report of a run of dipb COMMAND that could not finish, exit
    STATUS: it says the run failed, with the message standard error ends
    with ("dipb: MESSAGE"), and nothing else (dipb-verify(1), OPTIONS)."""
    status = int(status)
    with open(err_path, encoding="utf-8") as f:
        err = f.read()
    with open(path, encoding="utf-8") as f:
        text = f.read()
    msg = None

    if fmt in ("text", "gcc"):
        if text != "":
            bad("%s: not empty: %r" % (fmt, text[:200]))
        return
    if text == "":
        bad("%s: an empty report" % fmt)
        return
    if fmt == "sarif":
        log = json.loads(text)
        run = run_of(log)
        if run is None:
            return
        if run.get("results") != []:
            bad("sarif: results %r, expected []" % run.get("results"))
        inv = run.get("invocations") or [{}]
        if len(inv) != 1:
            bad("sarif: %d invocations, expected 1" % len(inv))
        inv = inv[0]
        if inv.get("executionSuccessful") is not False:
            bad("sarif: executionSuccessful %r" %
                inv.get("executionSuccessful"))
        if inv.get("exitCode") != status:
            bad("sarif: exitCode %r, expected %d" % (inv.get("exitCode"),
                                                   status))
        notes = inv.get("toolExecutionNotifications") or []
        if len(notes) != 1 or notes[0].get("level") != "error":
            bad("sarif: toolExecutionNotifications %r, expected one "
                "error" % notes)
        else:
            msg = notes[0].get("message", {}).get("text")
    elif fmt == "json":
        lines = text.splitlines()
        objs = [json.loads(l) for l in lines]
        if len(objs) != 1 or set(objs[0]) != {"error", "exit"}:
            bad("json: %r, expected one object of error and exit" % objs)
            return
        if objs[0]["exit"] != status:
            bad("json: exit %r, expected %d" % (objs[0]["exit"], status))
        msg = objs[0]["error"]
    elif fmt == "github":
        lines = text.splitlines()
        head = "::error title=dipb %s::" % command
        if len(lines) != 1 or not lines[0].startswith(head):
            bad("github: %r, expected one line starting %r" % (lines, head))
            return
        msg = gh_unescape(lines[0][len(head):])
    elif fmt == "junit":
        root = ET.fromstring(text.encode("utf-8"))
        suites = root.findall("testsuite")
        if (root.tag != "testsuites" or root.get("errors") != "1" or
                len(suites) != 1 or suites[0].get("errors") != "1" or
                suites[0].get("tests") != "1"):
            bad("junit: not one testsuite of one error: %r" % text[:300])
            return
        cases = suites[0].findall("testcase")
        want = ("dipb." + command, "dipb " + command)
        if (len(cases) != 1 or
                (cases[0].get("classname"), cases[0].get("name")) != want):
            bad("junit: testcases %r, expected one %r" %
                ([(c.get("classname"), c.get("name")) for c in cases],
                 want))
            return
        errs = cases[0].findall("error")
        if len(errs) != 1 or errs[0].get("type") != "exit status %d" % status:
            bad("junit: %r, expected one <error type=\"exit status %d\">"
                % ([e.attrib for e in errs], status))
            return
        msg = errs[0].get("message")
        if errs[0].text != msg + "\n":
            bad("junit: the error's text %r is not its message %r" %
                (errs[0].text, msg))
    elif fmt == "gitlab":
        issues = json.loads(text)
        head = "dipb %s could not run: " % command
        if (not isinstance(issues, list) or len(issues) != 1 or
                not issues[0].get("description", "").startswith(head)):
            bad("gitlab: %r, expected one issue %r..." % (issues, head))
            return
        i = issues[0]
        if (i.get("check_name") != command or i.get("severity") != "major"
                or i.get("location") != {"path": "dipb.yaml",
                                         "lines": {"begin": 1}}
                or not re.fullmatch("[0-9a-f]{64}", i.get("fingerprint", ""))):
            bad("gitlab: %r" % i)
        msg = i["description"][len(head):]
    else:
        sys.exit("cicheck.py: unknown format %r" % fmt)
    if msg is None:
        return
    # A usage error of dipb's own options ends with dipb's usage, which
    # the report leaves out.
    usage = err.find("\nusage: dipb [-C DIR]")
    if status == 2 and usage >= 0:
        err = err[:usage + 1]
    if not msg or not err.endswith("dipb: %s\n" % msg):
        bad("%s: the message %r is not the one stderr ends with: %r" %
            (fmt, msg, err[-300:]))


def main(argv):
    cmd, args = argv[1], argv[2:]
    if cmd == "schema":
        check_schema(*args)
    elif cmd == "rules":
        check_rules(*args)
    elif cmd == "manrules":
        for r in manrules(*args):
            print(r)
    elif cmd == "validate-sarif":
        check_validate_sarif(*args)
    elif cmd == "gitlab":
        check_gitlab(*args)
    elif cmd == "verify-sarif":
        check_verify_sarif(*args)
    elif cmd == "verify-junit":
        check_verify_junit(*args)
    elif cmd == "junit-clean":
        junit_clean(*args)
    elif cmd == "validate-junit":
        check_validate_junit(*args)
    elif cmd == "failed":
        check_failed(*args)
    elif cmd == "paths":
        for p in report_paths(*args):
            print(p)
    else:
        sys.exit("cicheck.py: unknown check %r" % cmd)
    for p in PROBLEMS[:20]:
        print(p)
    return 1 if PROBLEMS else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
