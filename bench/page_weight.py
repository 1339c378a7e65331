"""Public and phone pages on a slow phone link: how many bytes a cold visit costs and when
the first paint happens.

    .venv/bin/python bench/page_weight.py [--rtt 2000] [--kbps 50] [--runs 1]

It loads the seed KM and question bank into a fresh SQLite file under a temp directory,
makes a training session with two phones (one mid-test, one done) and a certificate,
starts gunicorn on 127.0.0.1 as `make run` serves, and opens each page in a fresh
Chromium context (empty cache) with Chrome's own network throttling (CDP
Network.emulateNetworkConditions: --rtt ms of latency per request, --kbps KB/s down and
up). Printed per page: bytes on the wire (every response until the network is idle:
page, styles, scripts, fonts), the number of requests, the requests the browser counted
as render-blocking beyond the page itself, and the first paint from navigation start.
Targets: ≤ 60 KB cold and first paint ≤ 2.5 s. Chrome adds the round trip to every
request, so the stylesheet is inside the page (with the Content Security Policy's nonce)
and a page paints after one round trip. Loopback only.
"""
import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CHROMIUM = "/usr/bin/chromium"
TARGET_BYTES, TARGET_PAINT = 60 * 1024, 2.5


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rtt", type=int, default=2000, help="round-trip latency per request in ms (default %(default)s)")
    p.add_argument("--kbps", type=float, default=50, help="throughput in KB/s, down and up (default %(default)s)")
    p.add_argument("--runs", type=int, default=1, help="cold loads per page; the median is printed")
    return p.parse_args()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(tmp: Path):
    """A database with the seed content, a session (pre-test open) and a certificate."""
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'pages.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "volunteerkm.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("loadkm", str(ROOT / "content"), verbosity=0)
    call_command("loadquestions", str(ROOT / "content" / "questions"), verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from datetime import date

    from assessments.models import POST, PRE, TestForm
    from knowledge.models import Item
    from reports import certificates, sample

    unit = sample.unit("bench-pages", "สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดลำปาง", "ลำปาง", "ภาคเหนือ")
    trainer = sample.user("bench-pages-trainer", [unit])
    pre, post = TestForm.objects.get(key="volunteer-pre-a"), TestForm.objects.get(key="volunteer-post-b")
    session = sample.session("อบรม อพม. ใหม่ จังหวัดลำปาง", unit, trainer, pre, post, date.today())
    session.set_phase(PRE, "open")
    # A certificate: someone who passed the post-test of another session.
    versions = sample.question_bank("bench-pages", per_chapter=1, chapters=[1, 2, 3, 4, 5])
    f = sample.form("ทดสอบ", POST, versions, pass_mark=60)
    done = sample.session("อบรมที่ผ่านมา", unit, trainer, f, f, date.today())
    person = sample.participant(done, "สมศรี ใจดี")
    sample.record_attempt(f, POST, versions, ["a"] * 5, session_obj=done, participant_obj=person)
    cert = certificates.issue(done)[0]
    item = Item.objects.published().select_related("chapter__report").first()
    return session.code, cert.get_absolute_url(), item


def serve(port: int):
    env = {**os.environ, "DEBUG": "false"}
    proc = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "volunteerkm.wsgi", "--bind",
                             f"127.0.0.1:{port}", "--workers", "2", "--log-level", "warning"], cwd=ROOT, env=env)
    for _ in range(150):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("gunicorn did not start")


def phone_states(browser, base, code):
    """Two phones' cookies and storage (taken on a fast link): one joined with the test
    open, one that has sent its pre-test (its pages: the waiting room and the result)."""
    states = []
    for name, send in (("ผู้ทดสอบ หนึ่ง", False), ("ผู้ทดสอบ สอง", True)):
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{base}/j/{code}/")
        page.fill("input[name=name]", name)
        page.click("main button[type=submit]")
        page.click("button[value=yes]")
        page.wait_for_selector("fieldset.q")
        if send:
            for fieldset in page.query_selector_all("fieldset.q"):
                fieldset.query_selector("input[type=radio]").check()
            page.click("#send")
            page.wait_for_url("**/result/pre/")
        states.append(context.storage_state())
        context.close()
    return states


def measure(browser, url, state, rtt, kbps):
    context = browser.new_context(storage_state=state, viewport={"width": 360, "height": 740}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2, locale="th-TH")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": rtt,
                                                  "downloadThroughput": kbps * 1024, "uploadThroughput": kbps * 1024})
    received = {}
    cdp.on("Network.loadingFinished", lambda e: received.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.goto(url, wait_until="load", timeout=120_000)
    page.wait_for_load_state("networkidle", timeout=120_000)
    timing = page.evaluate("""() => {
        const paint = performance.getEntriesByType('paint').find(e => e.name === 'first-paint');
        const blocking = performance.getEntriesByType('resource')
            .filter(e => e.renderBlockingStatus === 'blocking').map(e => e.name);
        return {paint: paint ? paint.startTime / 1000 : null, blocking};
    }""")
    status = page.evaluate("() => performance.getEntriesByType('navigation')[0].responseStatus")
    context.close()
    return {"bytes": sum(received.values()), "requests": len(received), "paint": timing["paint"],
            "blocking": timing["blocking"], "status": status}


def main():
    args = parse_args()
    if not os.path.exists(CHROMIUM):
        raise SystemExit(f"Chromium not found at {CHROMIUM}")
    tmp = Path(tempfile.mkdtemp(prefix="page-weight-"))
    proc = None
    try:
        code, cert_path, item = prepare(tmp)
        port = free_port()
        proc = serve(port)
        base = f"http://127.0.0.1:{port}"
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu",
                                                                        "--disable-background-networking"])
            mid_test, done = phone_states(browser, base, code)
            pages = [
                ("public", "หน้าแรก", "/", None),
                ("public", "รายงาน KM", item.chapter.report.get_absolute_url(), None),
                ("public", "หมวด", item.chapter.get_absolute_url(), None),
                ("public", "เรื่องความรู้", item.get_absolute_url(), None),
                ("public", "คำย่อ", "/glossary/", None),
                ("public", "ค้นหา", "/search/?q=สมัคร อพม. ทำอย่างไร", None),
                ("public", "ตรวจสอบวุฒิบัตร", cert_path, None),
                ("phone", "กรอกรหัส", "/j/", None),
                ("phone", "เข้าร่วม", f"/j/{code}/", None),
                ("phone", "แบบทดสอบ", f"/j/{code}/test/", mid_test),
                ("phone", "ผลแบบทดสอบ", f"/j/{code}/result/pre/", done),
                ("phone", "รอผู้จัดอบรม", f"/j/{code}/test/", done),
            ]
            print(f"network: {args.rtt} ms round trip, {args.kbps:g} KB/s · targets: ≤ {TARGET_BYTES // 1024} KB cold, "
                  f"first paint ≤ {TARGET_PAINT} s · median of {args.runs} cold load(s)")
            print(f"{'kind':7} {'page':18} {'KB':>6} {'req':>4} {'blocking':>8} {'paint s':>8}  bytes  paint")
            worst = True
            for kind, name, path, state in pages:
                # warm the server (its caches and search index) first; every measured load is cold in the browser
                urllib.request.urlopen(base + urllib.parse.quote(path, safe="/?=&"), timeout=60).read()
                runs = [measure(browser, base + path, state, args.rtt, args.kbps) for _ in range(args.runs)]
                runs.sort(key=lambda r: r["paint"] or 1e9)
                r = runs[len(runs) // 2]
                assert r["status"] == 200, (path, r["status"])
                light = r["bytes"] <= TARGET_BYTES
                quick = r["paint"] is not None and r["paint"] <= TARGET_PAINT
                worst = worst and light and quick
                print(f"{kind:7} {name:18} {r['bytes'] / 1024:6.1f} {r['requests']:4d} {len(r['blocking']):8d} "
                      f"{r['paint'] or float('nan'):8.2f}  {'ok' if light else 'OVER':5}  {'ok' if quick else 'SLOW'}")
            print("all pages within the targets" if worst else "some pages miss the targets")
            browser.close()
    finally:
        if proc:
            proc.terminate()
            proc.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
