"""Screenshots of each page of `bibliomap app` from a real run on the demo corpus, for the README.

Starts the app on a free port over a temporary workspace, drives it in headless Chromium
as a user would (create a project, upload the demo exports, run the study, verify terms)
and writes one PNG per page to docs/screenshots/.

    python scripts/app_screenshots.py [--chromium /usr/bin/chromium] [--out docs/screenshots]
"""
from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync", "--disable-background-networking"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    from bibliomap.data import demo_files

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        port = _free_port()
        server = subprocess.Popen([sys.executable, "-c", "from bibliomap.cli import main; main()", "app", "--no-browser",
                                   "--workspace", str(Path(tmp) / "ws"), "--port", str(port)], stdout=subprocess.DEVNULL)
        try:
            for _ in range(600):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    time.sleep(0.1)
            url = f"http://127.0.0.1:{port}"
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=args.chromium, args=ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 860})

                def shot(name: str) -> None:
                    page.wait_for_load_state("load")
                    page.screenshot(path=str(args.out / f"{name}.png"))
                    print("wrote", args.out / f"{name}.png")

                page.goto(url + "/")
                page.fill("#create-project input[name=name]", "GPU programming models (demo corpus)")
                page.click("#create-project button")
                page.set_input_files("#file-input", [str(f) for f in demo_files()])
                page.wait_for_selector("#ingest-summary", timeout=120_000)
                shot("2-data")
                page.click("nav a:text('Search')")
                page.fill("#query", "GPU programming models")
                shot("10-search")
                page.click("nav a:text('Settings')")
                page.fill("#terms\\.min_occurrences", "5")
                page.click("#save-settings")
                page.click("nav a:text('Run')")
                page.click("#run")
                page.wait_for_function("() => document.querySelectorAll('section.job tbody tr').length >= 4", timeout=300_000)
                shot("5-run")
                page.wait_for_function("() => document.querySelector('section.job')?.dataset.status === 'done'", timeout=600_000)
                page.click("nav a:text('Settings')")
                page.locator("#terms\\.min_occurrences").scroll_into_view_if_needed()
                shot("3-settings")
                page.click("nav a:text('Term verification')")
                page.wait_for_selector("#terms-table tbody tr")
                page.locator("#terms-table tbody tr").nth(1).locator("input.keep").uncheck()
                shot("4-term-verification")
                page.click("nav a:text('Results')")
                shot("6-results")
                page.click("#result-sections a:text('Most cited documents')")
                page.wait_for_function("() => Array.from(document.images).every((i) => i.complete)")
                shot("7-results-section")
                page.click("#section-nav a:text('Term co-occurrence map')")
                page.frame_locator("iframe.map-frame").locator(".bm-viewer svg, .bm-viewer canvas").first.wait_for()
                page.locator(".result-map").scroll_into_view_if_needed()
                page.wait_for_timeout(1000)
                shot("8-results-map")
                page.click("nav a:text('Report')")
                page.frame_locator("#report-frame").locator("#term-map").wait_for()
                page.click("#sections a:text('Term co-occurrence map')")
                page.wait_for_timeout(1500)
                shot("9-report")
                page.goto(url + "/")
                shot("1-projects")
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
