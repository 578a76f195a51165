"""A person's path through the unit-cleaning notebook in a real browser.

JupyterLab runs headless on 127.0.0.1 (random free port, a token, settings and runtime folders in
a temp dir, Vietnamese interface); Debian's Chromium, driven by Playwright through its executable
path (no browser download), opens notebook 02, runs all cells, ignores a column in the mapping
widget, decides a flagged cell, writes the upload file, and saves screenshots in
``out/screenshots/``. The server is always stopped.

Marked ``browser``: deselect with ``-m "not browser"`` where Chromium is not installed; when
selected without Chromium or Playwright, the test fails saying what to install.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import DATA, NOTEBOOKS, ROOT

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("UNIONCLEAN_CHROMIUM", "/usr/bin/chromium")
NOTEBOOK = "02_lam_sach_mot_don_vi.ipynb"
SHOTS = ROOT / "out" / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_ready(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"JupyterLab did not answer {url} within {timeout} s")


@pytest.fixture()
def lab(tmp_path):
    """A JupyterLab server on a copy of notebook 02 and its data; yields (base url, token, folder)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install it with `apt-get install -y chromium` "
                    "(or set UNIONCLEAN_CHROMIUM), or deselect this test with -m 'not browser'.")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.fail("Playwright is not installed: `pip install playwright` (do not run `playwright install`; "
                    "the test uses Debian's Chromium), or deselect this test with -m 'not browser'.")
    work = tmp_path / "nb"
    work.mkdir()
    shutil.copy(NOTEBOOKS / NOTEBOOK, work / NOTEBOOK)
    shutil.copytree(DATA / "mot_don_vi", work / "data" / "mot_don_vi")
    settings = tmp_path / "settings" / "@jupyterlab" / "translation-extension"
    settings.mkdir(parents=True)
    (settings / "plugin.jupyterlab-settings").write_text(json.dumps({"locale": "vi_VN"}), encoding="utf-8")
    news = tmp_path / "settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}), encoding="utf-8")
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"), JUPYTER_CONFIG_DIR=str(tmp_path / "config"))
    log = open(tmp_path / "lab.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work}", "--LabApp.expose_app_in_browser=True",
         "--ServerApp.port_retries=0", "--allow-root"],
        cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_ready(f"{base}/api/status?token={token}", proc)
        except (RuntimeError, TimeoutError) as exc:
            log.flush()
            tail = (tmp_path / "lab.log").read_text(encoding="utf-8", errors="replace")[-2000:]
            pytest.fail(f"{exc}\n--- JupyterLab log ---\n{tail}")
        yield base, token, work
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        log.close()


def test_unit_cleaning_notebook_in_chromium(lab):
    from playwright.sync_api import expect, sync_playwright

    base, token, work = lab
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(30_000)
            page.goto(f"{base}/lab/tree/{NOTEBOOK}?token={token}")
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
            page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
                                   " && window.jupyterapp.shell.currentWidget.sessionContext"
                                   " && window.jupyterapp.shell.currentWidget.sessionContext.session"
                                   " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel",
                                   timeout=60_000)
            page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")

            # The mapping widget rendered: one drop-down per source column.
            confirm = page.get_by_role("button", name="Xác nhận ghép cột và làm sạch")
            expect(confirm).to_be_visible(timeout=60_000)
            email = page.locator(".widget-dropdown select").filter(
                has=page.locator("option:checked", has_text="Email"))
            expect(email.first).to_be_visible()
            email = email.first  # one per member sheet: the first sheet's
            email.scroll_into_view_if_needed()
            page.wait_for_timeout(500)  # let the windowed notebook paint the cells scrolled to
            page.locator(".widget-gridbox").first.screenshot(path=str(SHOTS / "01_mapping.png"))
            email.select_option(label="(bỏ qua cột này)")
            confirm.click()
            expect(page.get_by_text("Đã ghi 1 thay đổi cách ghép cột vào công thức.")).to_be_visible()

            # The review widget: leave the first flagged cell for the unit.
            leave = page.get_by_role("button", name="Để đơn vị sửa").first
            leave.scroll_into_view_if_needed()
            leave.click()
            expect(page.get_by_text("Đã ghi: Để đơn vị sửa.").first).to_be_visible()
            page.screenshot(path=str(SHOTS / "02_review.png"))

            # Write the upload file.
            write = page.get_by_role("button", name="Ghi tệp tải lên")
            write.scroll_into_view_if_needed()
            write.click()
            expect(page.get_by_text("Đã ghi các tệp vào thư mục").first).to_be_visible(timeout=60_000)
            page.get_by_text("Đã ghi các tệp vào thư mục").first.scroll_into_view_if_needed()
            page.screenshot(path=str(SHOTS / "03_written.png"))
        finally:
            browser.close()

    out = work / "out" / "02_mot_don_vi"
    uploads = list(out.glob("*.upload.xlsx"))
    assert len(uploads) == 1 and uploads[0].stat().st_size > 0
    recipe = (out / "recipe.yaml").read_text(encoding="utf-8")
    assert "Thư điện tử" in recipe or "Email" in recipe or "email" in recipe.lower()
    assert "action: leave" in recipe
    for name in ("01_mapping.png", "02_review.png", "03_written.png"):
        assert (SHOTS / name).stat().st_size > 10_000
