"""htmlcheck.py - checks an HTML page that dipb wrote, with real parsers.

usage: python3 htmlcheck.py [--marking TEXT] [--svg N] FILE...

For each FILE: html5lib (a WHATWG HTML5 parser) in strict mode must
report no parse error; then, walking the page with Python's html.parser,
every element must be one dipb or cmark writes, no attribute may be an
event handler or a style, every href and src must be http(s), mailto, a
fragment or relative (src: also a data: PNG, GIF, JPEG or WebP image),
there is one <title>, one <style> in <head>, no <script>, <link>, <base>,
<iframe>, <object> or <embed>; the classification banner is at the top
and the bottom (with TEXT, if given) and there are N <svg> (if given).
Prints one line per problem and exits 1 if there is any.
"""
import re
import sys
from html.parser import HTMLParser

import html5lib

ALLOWED = {
    "html", "head", "meta", "title", "style", "body", "header", "main",
    "footer", "h1", "h2", "h3", "h4", "h5", "h6", "p", "a", "strong", "em",
    "code", "pre", "blockquote", "ul", "ol", "li", "table", "thead",
    "tbody", "tr", "th", "td", "div", "figure", "svg", "g", "rect", "text",
    "br", "hr", "img",
}
RASTER = re.compile(r"data:image/(png|gif|jpeg|webp)[;,]", re.I)


def url_ok(url, image):
    # What a browser does first: drop tabs and newlines, trim controls.
    u = re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(33))))
    m = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", u)
    if not m:
        return True
    scheme = m.group(1).lower()
    if scheme in ("http", "https", "mailto"):
        return True
    return image and RASTER.match(u) is not None


class Walker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.stack = []
        self.count = {}
        self.banner = []        # text of header/footer.marking
        self.in_banner = None

    def handle_starttag(self, tag, attrs):
        # SVG has its own <title>s (tooltips): count the page's alone.
        key = tag if tag != "title" or "svg" not in self.stack else "svg-title"
        self.count[key] = self.count.get(key, 0) + 1
        if tag not in ALLOWED:
            self.problems.append("element <%s>" % tag)
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append("event attribute %s on <%s>" %
                                     (name, tag))
            if name == "style":
                self.problems.append("style attribute on <%s>" % tag)
            if name in ("href", "src", "xlink:href", "action",
                        "formaction", "data", "poster", "srcset"):
                if not url_ok(value, tag == "img" and name == "src"):
                    self.problems.append("%s=%r on <%s>" % (name, value, tag))
        a = dict(attrs)
        if tag == "style" and "head" not in self.stack:
            self.problems.append("<style> outside <head>")
        if tag == "meta" and "http-equiv" in a and \
                a["http-equiv"].lower() != "content-security-policy":
            self.problems.append("<meta http-equiv=%s>" % a["http-equiv"])
        if tag in ("header", "footer") and "marking" in \
                (a.get("class") or "").split():
            self.in_banner = []
        if tag not in ("meta", "br", "hr", "img", "rect"):
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in ("header", "footer") and self.in_banner is not None:
            self.banner.append("".join(self.in_banner).strip())
            self.in_banner = None
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        if self.in_banner is not None:
            self.in_banner.append(data)


def check(path, marking, nsvg):
    problems = []
    text = open(path, encoding="utf-8").read()
    parser = html5lib.HTMLParser(strict=True)
    try:
        parser.parse(text)
    except html5lib.html5parser.ParseError as e:
        problems.append("html5lib: %s" % e)
    if not text.startswith("<!DOCTYPE html>"):
        problems.append("no <!DOCTYPE html> first")
    w = Walker()
    w.feed(text)
    w.close()
    problems += w.problems
    for tag in ("title", "style", "body", "main"):
        if w.count.get(tag, 0) != 1:
            problems.append("%d <%s>" % (w.count.get(tag, 0), tag))
    if len(w.banner) != 2:
        problems.append("%d classification banners" % len(w.banner))
    elif marking is not None and w.banner != [marking, marking]:
        problems.append("banners %r, expected %r" % (w.banner, marking))
    if nsvg is not None and w.count.get("svg", 0) != nsvg:
        problems.append("%d <svg>, expected %d" % (w.count.get("svg", 0),
                                                   nsvg))
    if "Content-Security-Policy" not in text:
        problems.append("no Content-Security-Policy")
    return problems


def main(argv):
    marking = nsvg = None
    files = []
    i = 1
    while i < len(argv):
        if argv[i] == "--marking":
            marking = argv[i + 1]
            i += 2
        elif argv[i] == "--svg":
            nsvg = int(argv[i + 1])
            i += 2
        else:
            files.append(argv[i])
            i += 1
    bad = 0
    for f in files:
        for p in check(f, marking, nsvg):
            print("%s: %s" % (f, p))
            bad = 1
    return bad


if __name__ == "__main__":
    sys.exit(main(sys.argv))
