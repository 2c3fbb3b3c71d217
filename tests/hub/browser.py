"""Debian's chromium driven by Selenium (chromium-driver), headless, for the console tests
and the screenshots in docs/. Downloads land in a folder the caller chooses."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest


def require_chromium() -> tuple[str, str]:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    if browser is None or not os.path.exists(driver):
        message = "chromium/chromium-driver are missing; run scripts/install-test-deps as root"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return browser, driver


def start_chromium(downloads: Path, width: int = 1366, height: int = 768):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver = require_chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-sync",
        "--disable-component-update",
        f"--window-size={width},{height}",
    ):
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(downloads), "download.prompt_for_download": False},
    )
    return webdriver.Chrome(service=Service(driver), options=options)
