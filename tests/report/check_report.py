#!/usr/bin/env python3
"""Renders a plan's report.html in headless Chromium and checks it.

Usage:
    check_report.py PLAN_DIR_OR_REPORT_HTML [--self-test] [--chromium PATH]

Checks, each printed as it passes; the first failure exits with code 1:

1. The file is self-contained: no <script src>, no <link>, no src/href or
   CSS url() to http(s) or a protocol-relative // address, no @import.
2. Chromium (headless, no network: every host name resolves to nothing)
   loads it without a single console message: the page logs nothing, so
   any message -- an uncaught error above all -- is a failure.
3. The page's script ran to its end (the html element gets
   data-report-ready="1") and caught no error (no data-js-error).
4. The rendered DOM (--dump-dom) holds the map (#map with both panels and
   Norway's outline, trips, dots) and the charts (#chart-cost, #chart-weeks,
   #chart-workload), the headline, the unmet section and the trip tables.

--self-test first proves the checker can fail: it injects a script error,
then an external image, into copies of the page and expects each to be
caught; then checks the page itself.

Only the Python standard library is used. Chromium is Debian's `chromium`
(apt-get install chromium).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--enable-logging=stderr",
    "--v=0",
    # Give the page's script time to run before the DOM is dumped.
    "--virtual-time-budget=5000",
]

REQUIRED_IDS = [
    "headline",
    "unmet",
    "map",
    "map-zoom",
    "map-overview",
    "norway-outline",
    "cw-select",
    "chart-cost",
    "chart-weeks",
    "chart-workload",
    "caseworkers",
]


class Failure(Exception):
    pass


def static_checks(html):
    """The page asks for nothing outside itself."""
    patterns = [
        (r"<script\b[^>]*\bsrc\s*=", "a <script src>"),
        (r"<link\b", "a <link> element"),
        (r"<(?:img|iframe|embed|object|source|video|audio)\b[^>]*\b(?:src|data)\s*=\s*[\"']?(?:https?:)?//", "an external embed"),
        (r"\b(?:src|href|xlink:href|action|poster)\s*=\s*[\"']?\s*(?:https?:)?//", "an external src/href"),
        (r"url\(\s*[\"']?\s*(?:https?:)?//", "an external CSS url()"),
        (r"@import\b", "a CSS @import"),
    ]
    for pattern, what in patterns:
        m = re.search(pattern, html, re.IGNORECASE)
        if m:
            raise Failure(f"not self-contained: {what}: {html[m.start():m.start() + 120]!r}")
    # xmlns declarations are names, not fetches; nothing else may name a URL
    # in an attribute.
    print("ok: self-contained (no external scripts, styles, images or links)")


def render(chromium, path, fragment=""):
    profile = tempfile.mkdtemp(prefix="tilsyn-chromium-")
    try:
        url = "file://" + os.path.abspath(path) + fragment
        proc = subprocess.run(
            [chromium, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if proc.returncode != 0:
        raise Failure(f"chromium exited with {proc.returncode}: {proc.stderr[-2000:]}")
    return proc.stdout, proc.stderr


def browser_checks(chromium, path):
    dom, log = render(chromium, path)
    console = [line for line in log.splitlines() if ":CONSOLE" in line]
    if console:
        raise Failure("console messages: " + " | ".join(console))
    print("ok: loads with no console message")
    root = re.search(r"<html\b[^>]*>", dom)
    if not root:
        raise Failure("no <html> element in the DOM")
    if "data-js-error" in root.group(0):
        raise Failure(f"the page caught a script error: {root.group(0)}")
    if 'data-report-ready="1"' not in root.group(0):
        raise Failure(f"the page's script did not run to its end: {root.group(0)}")
    print("ok: the page's script ran to its end without an error")
    for ident in REQUIRED_IDS:
        if not re.search(rf'\bid="{re.escape(ident)}"', dom):
            raise Failure(f"the DOM has no element with id {ident}")
    zoom = dom.split('id="map-zoom"', 1)[1].split("</svg>", 1)[0]
    trips = len(re.findall(r'<g class="trip"', zoom))
    dots = len(re.findall(r'<circle class="dot ', zoom))
    if '<use href="#norway-outline"' not in zoom:
        raise Failure("the detail map does not draw Norway's outline")
    if dots == 0:
        raise Failure("the map has no children's dots")
    print(f"ok: the DOM has the map ({trips} trips, {dots} dots), charts and tables: "
          + ", ".join(REQUIRED_IDS))
    # Highlighting: the first caseworker of the legend, named in the link.
    key = re.search(r'<button type="button" class="cw-key" data-cw="([^"]+)"', dom)
    if key:
        cw = key.group(1)
        dom, log = render(chromium, path, "#cw=" + cw)
        root = re.search(r"<html\b[^>]*>", dom).group(0)
        if "picked" not in root:
            raise Failure(f"highlighting {cw} did not mark the page: {root}")
        on = re.findall(rf'data-cw="{re.escape(cw)}"[^>]*class="[^"]*\bon\b|class="[^"]*\bon\b[^"]*"[^>]*data-cw="{re.escape(cw)}"', dom)
        if not on:
            raise Failure(f"highlighting {cw} marked none of their trips")
        print(f"ok: highlighting caseworker {cw} marks {len(on)} elements")


def check(chromium, path):
    with open(path, encoding="utf-8") as f:
        html = f.read()
    static_checks(html)
    browser_checks(chromium, path)


def must_fail(chromium, path, label, inject):
    with open(path, encoding="utf-8") as f:
        html = f.read()
    broken = html.replace("</body>", inject + "</body>", 1)
    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, "report.html")
        with open(copy, "w", encoding="utf-8") as f:
            f.write(broken)
        try:
            check(chromium, copy)
        except Failure as e:
            print(f"ok: self-test: {label} is caught ({str(e).splitlines()[0][:100]})")
            return
    raise Failure(f"self-test: {label} was not caught")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", help="a plan folder or its report.html")
    parser.add_argument("--self-test", action="store_true")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    args = parser.parse_args()
    path = args.target
    if os.path.isdir(path):
        path = os.path.join(path, "report.html")
    if not os.path.isfile(path):
        print(f"{path}: no such file", file=sys.stderr)
        return 2
    try:
        if args.self_test:
            must_fail(args.chromium, path, "a script error",
                      "<script>window.tilsynDeliberateError();</script>")
            must_fail(args.chromium, path, "an external image",
                      '<img src="https://example.org/pixel.png" alt="">')
        check(args.chromium, path)
    except Failure as e:
        print(f"FAIL: {path}: {e}", file=sys.stderr)
        return 1
    except subprocess.TimeoutExpired:
        print(f"FAIL: {path}: chromium did not finish within 120 s", file=sys.stderr)
        return 1
    print(f"{path}: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
