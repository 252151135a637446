#!/usr/bin/env python3
"""`disclosure serve` driven in a real browser: headless Chromium through chromedriver's
WebDriver protocol (plain HTTP, no client library). Run by `make test` after `swift test`.

A clerk's season, end to end, on a fresh workspace of the shipped fixtures:
open the year, follow a figure to its source line, filter the list, upload a resubmission for
a body that had sent nothing and see its state change, mark a warning reviewed and see the mark
survive a cron rerun, sign in on an office-network address. Screenshots (1366x768, an office
screen) go to .build/screenshots/.

usage: season_browser_test.py [path/to/disclosure]
"""
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, ".build/debug/disclosure"))
SHOTS = os.path.join(REPO, ".build/screenshots")
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, what, seconds=30):
    end = time.time() + seconds
    while time.time() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{what} did not start on port {port}")


class Browser:
    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": shutil.which("chromium") or "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1366,768", "--lang=zh-CN",
                     "--disable-dev-shm-usage"]}}}}
        self.session = self.call("POST", "/session", caps)["sessionId"]

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return json.loads(r.read())["value"] if path != "/session" else json.loads(r.read())["value"]
        except urllib.error.HTTPError as e:
            raise AssertionError(f"WebDriver {method} {path}: {e.read().decode(errors='replace')[:500]}")

    def s(self, method, path, body=None):
        return self.call(method, f"/session/{self.session}{path}", body)

    def go(self, url):
        self.s("POST", "/url", {"url": url})

    def find(self, css):
        return self.s("POST", "/element", {"using": "css selector", "value": css})[ELEMENT]

    def all(self, css):
        return [e[ELEMENT] for e in self.s("POST", "/elements", {"using": "css selector", "value": css})]

    def text(self, element):
        return self.s("GET", f"/element/{element}/text")

    def click(self, element):
        self.s("POST", f"/element/{element}/click", {})

    def type(self, element, text):
        self.s("POST", f"/element/{element}/value", {"text": text})

    def js(self, script, *args):
        return self.s("POST", "/execute/sync", {"script": script, "args": list(args)})

    def url(self):
        return self.s("GET", "/url")

    def shot(self, name, what):
        os.makedirs(SHOTS, exist_ok=True)
        # The whole page at the office screen's width.
        height = self.js("return Math.max(document.body.scrollHeight, 768)")
        self.s("POST", "/window/rect", {"width": 1366, "height": min(int(height) + 120, 4000)})
        png = base64.b64decode(self.s("GET", "/screenshot"))
        with open(os.path.join(SHOTS, name), "wb") as f:
            f.write(png)
        self.s("POST", "/window/rect", {"width": 1366, "height": 768})
        print(f"  screenshot {name}: {what}")

    def wait(self, condition, what, seconds=30):
        end = time.time() + seconds
        while time.time() < end:
            try:
                if condition():
                    return
            except AssertionError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for: {what}")

    def quit(self):
        try:
            self.s("DELETE", "")
        except Exception:
            pass


def check(condition, what):
    if not condition:
        raise AssertionError(what)
    print(f"  ok: {what}")


def disclosure(*args, stdin=None):
    return subprocess.run([BIN, *args], input=stdin, capture_output=True, text=True, timeout=300)


def main():
    work = tempfile.mkdtemp(prefix="season-browser-")
    ws = os.path.join(work, "ws")
    procs = []
    browser = None
    try:
        assert disclosure("init", ws).returncode == 0
        settings = os.path.join(ws, "config/workspace.json")
        conf = json.load(open(settings, encoding="utf-8"))
        conf.setdefault("inbox", {})["settleSeconds"] = 0
        json.dump(conf, open(settings, "w", encoding="utf-8"), ensure_ascii=False)
        for year in ("2016", "2022"):
            shutil.copytree(os.path.join(REPO, "Fixtures", year), os.path.join(ws, "inbox", year))
            r = disclosure("run", "--workspace", ws, "--year", year)
            assert r.returncode in (0, 1), r.stderr

        port, driver_port = free_port(), free_port()
        log = open(os.path.join(work, "serve.log"), "w")
        procs.append(subprocess.Popen([BIN, "serve", "--workspace", ws, "--listen", f"127.0.0.1:{port}"], stdout=log, stderr=log))
        procs.append(subprocess.Popen([shutil.which("chromedriver") or "/usr/bin/chromedriver", f"--port={driver_port}"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        wait_port(port, "disclosure serve")
        wait_port(driver_port, "chromedriver")
        browser = Browser(driver_port)
        site = f"http://127.0.0.1:{port}"

        print("the year")
        browser.go(site + "/2022")
        check("2022 年" in browser.text(browser.find("h1")), "the 2022 page opens")
        rows = browser.all("table#bodies tbody tr")
        registered = [l for l in open(os.path.join(ws, "config/submitters.csv"), encoding="utf-8").read().splitlines()[1:] if l.strip()]
        check(len(rows) >= 20, f"every registered body is listed ({len(rows)} rows)")
        missing = browser.js("return Array.from(document.querySelectorAll('table#bodies tbody tr[data-state=missing]')).map(r => r.dataset.name)")
        check(len(missing) > 0, f"bodies that sent nothing are marked 未报送 ({len(missing)})")
        browser.shot("01-year-2022.png", "2022: counts, every body and its state, the city's tables 2-4 with linked figures")

        # Filter to the bodies that have not reported.
        browser.js("var s=document.getElementById('filter-state'); s.value='missing'; s.dispatchEvent(new Event('change'))")
        shown = browser.js("return Array.from(document.querySelectorAll('table#bodies tbody tr')).filter(r => r.style.display !== 'none').map(r => r.dataset.state)")
        check(shown and set(shown) == {"missing"}, "the state filter shows only 未报送 bodies")
        browser.js("var s=document.getElementById('filter-state'); s.value=''; s.dispatchEvent(new Event('change'))")

        print("a figure to its source")
        link = browser.find("table.city a")
        figure = browser.text(link)
        browser.click(link)
        browser.wait(lambda: "/figure/" in browser.url(), "the figure's page")
        sources = [browser.text(e) for e in browser.all("td.source")]
        check(sources and all(s.startswith("inbox/2022/") for s in sources), f"figure {figure} lists its source files: {sources[:3]}")
        body_text = browser.text(browser.find("main"))
        check("第 " in body_text and "行" in body_text, "and the line each value is on")
        browser.shot("02-figure-source.png", f"a figure of the city's tables ({figure}) followed to the bodies, files and lines it adds up")

        print("an upload")
        body = missing[0]
        browser.go(site + "/2022/" + urllib.parse.quote(body))
        check("未报送" in browser.text(browser.find("h1")), f"{body} starts as 未报送")
        browser.shot("03-body-before-upload.png", f"{body}: nothing sent yet, the drop zone")
        sent = os.path.join(work, "统计表（报送）.csv")
        shutil.copy(os.path.join(REPO, "Fixtures/2022/平定县/统计表.csv"), sent)
        browser.type(browser.find("#upload-file"), sent)
        browser.wait(lambda: "未报送" not in browser.text(browser.find("h1")), f"{body}'s state to change after the upload", 60)
        state = browser.text(browser.find("h1 span"))
        check(state in ("已报送", "有警告", "有错误"), f"{body} is now {state}")
        stored = os.listdir(os.path.join(ws, "inbox/2022", body))
        check(stored == ["统计表（报送）.csv"], f"the file is stored as sent in inbox/2022/{body}/")
        browser.shot("04-body-after-upload.png", f"{body} after the upload: its state, figures, files and versions")

        print("a review")
        browser.go(site + "/2016/" + urllib.parse.quote("市教育局"))
        forms = browser.all("tr[data-fingerprint] td.review form")
        check(len(forms) >= 1, "a warning offers 已核实 and 忽略")
        row = browser.all("tr[data-fingerprint]")[0]
        fingerprint = browser.js("return arguments[0].dataset.fingerprint", {ELEMENT: row})
        browser.type(browser.find(f"tr[data-fingerprint='{fingerprint}'] input[name=by]"), "张三")
        browser.type(browser.find(f"tr[data-fingerprint='{fingerprint}'] input[name=note]"), "已与原件核对")
        browser.click(browser.find(f"tr[data-fingerprint='{fingerprint}'] button[value=verified]"))
        browser.wait(lambda: "done=verified" in browser.url(), "the review to be saved")
        mark = browser.text(browser.find(f"tr[data-fingerprint='{fingerprint}'] .mark"))
        check(mark == "已核实（张三：已与原件核对）", f"the finding shows {mark}")
        browser.shot("05-reviewed.png", "市教育局: a warning marked 已核实 with who and why")
        r = disclosure("run", "--workspace", ws, "--year", "2016")
        check(r.returncode == 0, "cron runs 2016 again")
        browser.go(site + "/2016/" + urllib.parse.quote("市教育局"))
        mark = browser.text(browser.find(f"tr[data-fingerprint='{fingerprint}'] .mark"))
        check(mark == "已核实（张三：已与原件核对）", "the mark survives the rerun")
        findings = open(os.path.join(ws, "out/2016/findings.csv"), encoding="utf-8-sig").read()
        check("已核实（张三：已与原件核对）" in findings, "findings.csv shows the mark")
        browser.shot("06-reviewed-after-rerun.png", "the same page after a cron rerun: the mark holds")

        print("signing in on the office network")
        r = disclosure("serve", "--workspace", ws, "--set-password", stdin="办公室口令2027\n")
        check(r.returncode == 0, "a password is set with serve --set-password")
        office = free_port()
        procs.append(subprocess.Popen([BIN, "serve", "--workspace", ws, "--listen", f"0.0.0.0:{office}"], stdout=log, stderr=log))
        wait_port(office, "disclosure serve --listen 0.0.0.0")
        browser.go(f"http://127.0.0.1:{office}/2016")
        check(browser.url().endswith("/login"), "a page asks to sign in first")
        browser.type(browser.find("input[name=name]"), "李四")
        browser.type(browser.find("input[name=password]"), "猜一个")
        browser.click(browser.find("button[type=submit]"))
        browser.wait(lambda: "密码不正确" in browser.text(browser.find("main")), "a wrong password to be refused")
        browser.shot("07-login-refused.png", "the sign-in page after a wrong password")
        browser.type(browser.find("input[name=name]"), "李四")
        browser.type(browser.find("input[name=password]"), "办公室口令2027")
        browser.click(browser.find("button[type=submit]"))
        browser.wait(lambda: not browser.url().endswith("/login"), "signing in")
        browser.go(f"http://127.0.0.1:{office}/2016")
        check("李四" in browser.text(browser.find("header")), "signed in, the page names the clerk")
        browser.shot("08-signed-in-2016.png", "2016 on the office-network address, signed in as 李四")
        print("season browser test: passed")
    finally:
        if browser:
            browser.quit()
        for p in procs:
            p.terminate()
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print(f"season browser test: FAILED: {e}", file=sys.stderr)
        sys.exit(1)
