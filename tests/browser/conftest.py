"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Every test here is marked `browser`, gets a fresh browser context and fails if the page
logged a console error, threw an uncaught exception or had something blocked by the
Content-Security-Policy. A failing test leaves a screenshot in var/test/screenshots/.
"""

import os
import re
from pathlib import Path

import pytest

from tests.factories import PASSWORD, MembershipFactory
from workspace.models import Role

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HERE = Path(__file__).resolve().parent
SCREENSHOTS = HERE.parents[1] / "var" / "test" / "screenshots"
TIMEOUT_MS = 15_000

# Reported by the page itself, before any other script runs: CSP violations also appear as
# console errors, but this names the directive and the blocked resource.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline code"}`
    + ` (${event.sourceFile || document.location.pathname}:${event.lineNumber})`);
});
"""


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After the test body: fail the test itself if the browser reported any error."""
    watched = getattr(item, "browser_problems", None)
    try:
        result = yield
    except BaseException:
        if watched and watched[1]:  # shown with the failure, in "Captured stdout call"
            print("The browser also reported errors:\n" + "\n".join(f"  {p}" for p in watched[1]))
        raise
    if watched is not None:
        page, problems = watched
        if not page.is_closed():
            page.evaluate("0")  # a round trip, so events already sent by the browser are delivered
        if problems:
            raise AssertionError("The browser reported errors:\n" + "\n".join(f"  {p}" for p in problems))
    return result


@pytest.fixture(scope="package")
def browser():
    """One Chromium for every browser test.

    Package-scoped (this folder is the package), which for the browser tests is the same
    as session-scoped, but stops Playwright, and with it the asyncio loop its sync API keeps
    running, before the rest of the suite runs. While that loop runs, Django refuses ORM
    calls from the test thread unless DJANGO_ALLOW_ASYNC_UNSAFE is set; it is set for
    exactly that time.
    """
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not installed at {CHROMIUM}: browser tests skipped; .ci/run installs it")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def viewport():
    """Override in a test module (or with a parametrize) for another screen size."""
    return {"width": 1280, "height": 900}


@pytest.fixture
def page(browser, viewport, request):
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context = browser.new_context(viewport=viewport, service_workers="block")
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    # Nothing may leave the machine: anything not addressed to the live server is refused.
    context.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/]).*"), lambda route: route.abort())
    page = context.new_page()
    problems: list[str] = []

    def on_console(message) -> None:
        if message.type in ("error", "assert"):
            problems.append(f"console.{message.type} at {message.location.get('url')}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"uncaught {error.name}: {error.message}"))
    request.node.browser_problems = (page, problems)
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        save_screenshot(page, re.sub(r"[^\w.-]+", "_", request.node.name))
    context.close()


def save_screenshot(page, name: str) -> None:
    """The whole page as var/test/screenshots/<name>.png; never raises (it must not hide a failure)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    try:
        page.screenshot(path=str(path), full_page=True)
        print(f"Screenshot: {path}")
    except Exception as error:
        print(f"Could not save a screenshot: {error}")


@pytest.fixture
def editor(db):
    return MembershipFactory(role=Role.EDITOR)


@pytest.fixture
def server_url(live_server) -> str:
    """The live server's address, always as 127.0.0.1 (pytest-django's default host is "localhost")."""
    return live_server.url.replace("//localhost:", "//127.0.0.1:")


def sign_in(page, server_url: str, username: str, password: str) -> None:
    page.goto(f"{server_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def signed_in_page(page, server_url, editor):
    """A page signed in, through the real login form, as an editor of a fresh workspace."""
    from playwright.sync_api import expect

    sign_in(page, server_url, editor.user.username, PASSWORD)
    expect(page.get_by_role("heading", name="Articles", level=1)).to_be_visible()
    return page
