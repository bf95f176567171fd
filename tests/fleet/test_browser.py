"""The page in a real headless Chromium (Debian's chromium + chromium-driver; nothing downloaded):
sign in, see a kiosk go offline, export CSV."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from .conftest import Service
from .test_service import join, row, signed

CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


@pytest.fixture
def browser(tmp_path: Path):  # type: ignore[no-untyped-def]
    if not (os.path.exists(CHROMIUM) and shutil.which(DRIVER)):
        if os.environ.get("CI"):
            pytest.fail("chromium and chromium-driver are missing: packaging/dev.sh installs them")
        pytest.skip("chromium and chromium-driver are not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service as DriverService

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1366,900", f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": str(tmp_path / "dl"),
                                              "download.prompt_for_download": False})
    # The driver's path is given, so selenium-manager never looks for (or downloads) one.
    driver = webdriver.Chrome(service=DriverService(executable_path=DRIVER), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def test_sign_in_see_a_kiosk_go_offline_and_export_csv(sqlite_service: Service, browser,  # type: ignore[no-untyped-def]
                                                       tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    service = sqlite_service
    kiosk = join(service, "east")
    signed(service, kiosk, "/heartbeat", {"version": "1", "time": service.clock(), "camera": "OK",
                                          "microphone": "OK", "service": "OK", "outbox": 0})
    signed(service, kiosk, "/audit", {"rows": [row(1, time="2027-01-15T07:00:00+00:00")]})
    service.user("sue", "supervisor")
    browser.get(service.url + "/")
    browser.find_element(By.ID, "user").send_keys("sue")
    browser.find_element(By.ID, "password").send_keys("correct horse")
    browser.find_element(By.ID, "sign-in").click()
    state = browser.find_element(By.CSS_SELECTOR, f"#kiosk-{kiosk['kiosk_id']} .state")
    assert state.get_attribute("data-state") == "online"
    assert browser.find_element(By.ID, "alerts").text == "No alerts"
    service.clock.now += 6 * 60
    browser.refresh()
    state = browser.find_element(By.CSS_SELECTOR, f"#kiosk-{kiosk['kiosk_id']} .state")
    assert state.get_attribute("data-state") == "offline" and state.text == "offline"
    assert "silent for 6 min" in browser.find_element(By.ID, "alerts").text
    assert state.value_of_css_property("color") == "rgba(198, 40, 40, 1)"  # the stylesheet loaded
    browser.find_element(By.ID, "export").click()
    deadline = time.monotonic() + 10
    found: list[Path] = []
    while time.monotonic() < deadline and not found:
        found = list((tmp_path / "dl").glob("fleet-audit-*.csv"))
        time.sleep(0.1)
    assert found, "no CSV was downloaded"
    text = found[0].read_text()
    assert text.splitlines()[1].startswith("2027-01-15T07:00:00Z,") and kiosk["kiosk_id"] in text
    browser.find_element(By.ID, "sign-out").click()
    assert browser.find_element(By.ID, "sign-in")
