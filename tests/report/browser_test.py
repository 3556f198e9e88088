#!/usr/bin/env python3
"""Opens faultline's HTML reports in headless Chromium and checks them as a person would.

Drives Debian's chromium over the DevTools protocol on a pipe (--remote-debugging-pipe: no
port, no library). Each report is rendered from a file:// URL with the network closed; a page
fails on any console error, uncaught exception or request, and each one is checked for what
it must show. Screenshots go to ARTIFACTS/*.png.

usage: browser_test.py FAULTLINE_BIN SOURCE_DIR ARTIFACTS_DIR
"""
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

CHROMIUM = os.environ.get("FAULTLINE_CHROMIUM", "/usr/bin/chromium")
PAGE_TIMEOUT_S = 60
# A stale read around a partition that cuts the leader off, on default flags (issue 14's
# "done when" command): node 2, on the majority side, answers a read from its local state
# before it has applied the write of 0 the old leader acknowledged just before the cut. Seeds
# 1078, 1346 and 1505 of 1..3000 break linearizability with only partitions in their schedule;
# the other 47 failing seeds have a pause of the leader too.
RAFT_STALE_READ = ["--system", "raft", "--bug", "raft.read-without-leader-check", "--nemesis", "partition:leader,pause",
                   "--seed", "1346"]


class Failure(Exception):
    pass


class Browser:
    """Chromium with the DevTools protocol on fds 3 (commands) and 4 (replies, events)."""

    def __init__(self, profile_dir):
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()

        def wire_pipes():
            # Chromium reads commands on fd 3 and writes on fd 4. The pipes may themselves be
            # fds 3 to 6 (and close-on-exec): move them above 10 first, then dup2 (which
            # leaves the copies inheritable).
            commands = fcntl.fcntl(to_browser_read, fcntl.F_DUPFD, 10)
            replies = fcntl.fcntl(from_browser_write, fcntl.F_DUPFD, 10)
            os.dup2(commands, 3)
            os.dup2(replies, 4)

        flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-features=Translate,MediaRouter", "--hide-scrollbars",
                 "--user-data-dir=" + profile_dir, "--remote-debugging-pipe", "--window-size=1400,1000",
                 "about:blank"]
        self.process = subprocess.Popen([CHROMIUM] + flags, preexec_fn=wire_pipes, close_fds=False,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._buffer = b""
        self._next_id = 0
        self.events = []

    def close(self):
        try:
            self.send("Browser.close")
        except Exception:  # the browser may already be gone; it is killed below
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def _read_message(self, deadline):
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise Failure("the browser did not answer in time")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise Failure("the browser closed its DevTools pipe")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)

    def send(self, method, params=None, session=None, timeout_s=PAGE_TIMEOUT_S):
        self._next_id += 1
        command = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            command["sessionId"] = session
        os.write(self._to_browser, json.dumps(command).encode() + b"\0")
        deadline = time.monotonic() + timeout_s
        while True:
            message = self._read_message(deadline)
            if message.get("id") == self._next_id:
                if "error" in message:
                    raise Failure(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_event(self, method, session, timeout_s=PAGE_TIMEOUT_S):
        deadline = time.monotonic() + timeout_s
        while True:
            for k, event in enumerate(self.events):
                if event.get("method") == method and event.get("sessionId") == session:
                    return self.events.pop(k)
            self.events.append(self._read_message(deadline))


class Page:
    def __init__(self, browser, url):
        self.browser = browser
        self.url = url
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(domain + ".enable")
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": 1400, "height": 1000, "deviceScaleFactor": 1, "mobile": False})
        started = time.monotonic()
        self.call("Page.navigate", {"url": url})
        browser.wait_event("Page.loadEventFired", self.session)
        self.wait_for("document.body.getAttribute('data-ready') === 'true'")
        self.load_s = time.monotonic() - started

    def call(self, method, params=None):
        return self.browser.send(method, params, self.session)

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise Failure(f"{self.url}: evaluating {expression!r}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression, timeout_s=PAGE_TIMEOUT_S):
        deadline = time.monotonic() + timeout_s
        while not self.evaluate(expression):
            if time.monotonic() > deadline:
                raise Failure(f"{self.url}: timed out waiting for {expression}")
            time.sleep(0.05)

    def problems(self):
        """Console errors, uncaught exceptions and any request other than the page itself."""
        found = []
        for event in self.browser.events:
            if event.get("sessionId") != self.session:
                continue
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                found.append("uncaught exception: " + json.dumps(params["exceptionDetails"])[:400])
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append("console error: " + json.dumps(params.get("args"))[:400])
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                found.append("log error: " + params["entry"].get("text", ""))
            elif method == "Network.loadingFailed":
                found.append("failed request: " + json.dumps(params)[:300])
            elif method == "Network.requestWillBeSent":
                url = params["request"]["url"]
                if url != self.url and not url.startswith("data:"):
                    found.append("request for " + url)
        return found

    def screenshot(self, path, full_page=False):
        params = {"format": "png"}
        if full_page:
            size = self.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
            params["clip"] = {"x": 0, "y": 0, "width": size[0], "height": min(size[1], 12000), "scale": 1}
            params["captureBeyondViewport"] = True
        data = self.call("Page.captureScreenshot", params)["data"]
        import base64
        with open(path, "wb") as out:
            out.write(base64.b64decode(data))

    def in_viewport(self, selector):
        return self.evaluate(f"""(() => {{
            const e = document.querySelector({json.dumps(selector)});
            if (!e) return 'missing';
            const r = e.getBoundingClientRect();
            return r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0 &&
                   r.bottom <= window.innerHeight && r.right <= window.innerWidth;
        }})()""")


def run(command, expected_codes, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode not in expected_codes:
        raise Failure(f"{' '.join(command)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def expected_arrows(messages_path, view_start, view_end):
    """Arrows the diagram must draw: recorded messages whose send..end meets the view."""
    count = 0
    with open(messages_path) as lines:
        header = json.loads(next(lines))
        assert header["faultline_messages"] == 1
        for line in lines:
            message = json.loads(line)
            ended = message["ended_ns"] if message["ended_ns"] is not None else view_end
            if message["sent_ns"] <= view_end and ended >= view_start:
                count += 1
    return count


def check_page(page, name, artifacts):
    page.screenshot(os.path.join(artifacts, name + ".png"))
    problems = page.problems()
    if problems:
        raise Failure(f"{name}: " + "; ".join(problems[:5]))
    print(f"  {name}: opened in {page.load_s:.2f} s, no console error, no request")


def check_raft_violation(browser, faultline, work, artifacts):
    out = os.path.join(work, "raft")
    run([faultline, "run"] + RAFT_STALE_READ + ["--out", out], [1])
    page = Page(browser, "file://" + os.path.join(out, "report.html"))
    if page.in_viewport("#witness-primary") is not True:
        raise Failure("raft: the op at fault (#witness-primary) is not in the viewport when the page opens")
    summary = page.evaluate("document.querySelector('#witness').textContent")
    if "read" not in summary or "linearizable" not in summary:
        raise Failure("raft: the witness does not name the stale read")
    partitions = page.evaluate("[...document.querySelectorAll('#timeline rect.fault title')].filter(t => t.textContent.startsWith('partition')).length")
    if not partitions:
        raise Failure("raft: the timeline's window shows no partition")
    svg = "document.querySelector('#messages svg')"
    start = page.evaluate(svg + ".getAttribute('data-view-start')")
    end = page.evaluate(svg + ".getAttribute('data-view-end')")
    drawn = page.evaluate("document.querySelectorAll('#messages svg [data-message]').length")
    expected = expected_arrows(os.path.join(out, "messages.jsonl"), float(start), float(end))
    if drawn != expected or drawn == 0:
        raise Failure(f"raft: the message diagram draws {drawn} arrows, messages.jsonl has {expected} in its window")
    dropped = page.evaluate("document.querySelectorAll('#messages .drop').length")
    check_page(page, "raft-violation", artifacts)
    page.evaluate("document.querySelector('#messages').scrollIntoView()")
    page.screenshot(os.path.join(artifacts, "raft-violation-messages.png"))
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(os.path.join(artifacts, "raft-violation-full.png"), full_page=True)
    print(f"  raft-violation: witness in view, {partitions} partition band(s), {drawn} arrows ({dropped} dropped)")


def check_immediate_failure(browser, faultline, source, work, artifacts):
    out = os.path.join(work, "immediate.html")
    run([faultline, "report", os.path.join(source, "tests/data/report/immediate-failure.jsonl"), "-o", out], [0])
    page = Page(browser, "file://" + out)
    if page.in_viewport("#witness-primary") is not True:
        raise Failure("immediate failure: the first op (#witness-primary) is not in the viewport")
    if page.evaluate("document.querySelector('#witness-primary').getAttribute('data-op')") != "0":
        raise Failure("immediate failure: the op at fault is not the first op")
    check_page(page, "immediate-failure", artifacts)


def check_passing_campaign(browser, faultline, work, artifacts):
    out = os.path.join(work, "campaign")
    run([faultline, "campaign", "--system", "single", "--seeds", "1..3", "--jobs", "1", "--time", "2s", "--quiet",
         "--out", out], [0])
    page = Page(browser, "file://" + os.path.join(out, "report.html"))
    rows = page.evaluate("document.querySelectorAll('#seed-table tr[data-seed]').length")
    failed = page.evaluate("document.querySelectorAll('#seed-table tr.failed').length")
    if rows != 3 or failed != 0:
        raise Failure(f"passing campaign: the seed table has {rows} rows, {failed} failing; expected 3 and 0")
    check_page(page, "passing-campaign", artifacts)


def check_large_history(browser, faultline, work, artifacts):
    out = os.path.join(work, "large")
    run([faultline, "run", "--system", "single", "--rate", "2200", "--time", "10s", "--concurrency", "8",
         "--record-messages", "--out", out], [0])
    with open(os.path.join(out, "results.json")) as results:
        ops = json.load(results)["client_ops"]
    if ops < 20000:
        raise Failure(f"large history: only {ops} client ops")
    run([faultline, "report", out], [0])
    page = Page(browser, "file://" + os.path.join(out, "report.html"))
    if page.load_s > 15:
        raise Failure(f"large history: the page took {page.load_s:.1f} s to open")
    # The whole run at once is drawn aggregated; zooming in draws ops one by one.
    started = time.monotonic()
    page.evaluate("[...document.querySelectorAll('#timeline button')].find(b => b.textContent === 'whole run').click()")
    page.wait_for("document.querySelector('#timeline .lanes svg').classList.contains('aggregated')")
    aggregated_s = time.monotonic() - started
    elements = page.evaluate("document.querySelectorAll('#timeline .lanes svg *').length")
    if elements > 20000:
        raise Failure(f"large history: the aggregated timeline has {elements} elements")
    for _ in range(8):
        page.evaluate("[...document.querySelectorAll('#timeline button')].find(b => b.textContent === '+').click()")
    page.wait_for("document.querySelector('#timeline .lanes svg').classList.contains('detailed')")
    check_page(page, "large-history", artifacts)
    print(f"  large-history: {ops} ops; whole run drawn aggregated in {aggregated_s:.2f} s with {elements} elements")


def main():
    faultline, source, artifacts = sys.argv[1:4]
    if not os.access(CHROMIUM, os.X_OK):
        print(f"browser_test: {CHROMIUM} is missing: bash scripts/install-deps.sh installs Debian's chromium")
        return 1
    os.makedirs(artifacts, exist_ok=True)
    work = tempfile.mkdtemp(prefix="faultline-browser-")
    browser = Browser(os.path.join(work, "profile"))
    started = time.monotonic()
    try:
        check_raft_violation(browser, faultline, work, artifacts)
        check_immediate_failure(browser, faultline, source, work, artifacts)
        check_passing_campaign(browser, faultline, work, artifacts)
        check_large_history(browser, faultline, work, artifacts)
    except Failure as failure:
        print(f"browser_test: FAILED: {failure}")
        return 1
    finally:
        browser.close()
        shutil.rmtree(work, ignore_errors=True)
    print(f"browser_test: 4 reports checked in {time.monotonic() - started:.1f} s; screenshots in {artifacts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
