"""Signing in and out, and finding one's way around, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

MAIN_NAV = ["Articles", "Dossiers", "Tags", "Search", "Add articles"]


def main_nav(page):
    return page.get_by_role("navigation", name="Main")


def test_signing_in_lands_on_the_empty_articles_page(signed_in_page, server_url):
    page = signed_in_page
    expect(page).to_have_url(f"{server_url}/articles/")
    expect(page.get_by_role("heading", name="Articles", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="No articles yet")).to_be_visible()
    expect(main_nav(page).get_by_role("link", name="Articles", exact=True)).to_have_attribute("aria-current", "page")


def test_a_wrong_password_is_refused_with_an_error(page, server_url, editor):
    sign_in(page, server_url, editor.user.username, "not the password at all")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("alert")).to_contain_text("correct username and password")
    expect(main_nav(page)).to_have_count(0)


def test_signing_out_from_the_user_menu_returns_to_the_sign_in_page(signed_in_page, editor):
    page = signed_in_page
    sign_out = page.get_by_role("button", name="Sign out")
    expect(sign_out).to_be_hidden()
    page.locator("details.menu--right > summary").click()
    expect(sign_out).to_be_visible()
    sign_out.click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(main_nav(page)).to_have_count(0)


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}], ids=["phone"])
def test_on_a_phone_the_main_navigation_is_reachable_and_nothing_overflows(signed_in_page, server_url):
    page = signed_in_page
    for name in MAIN_NAV:
        link = main_nav(page).get_by_role("link", name=name, exact=True)
        link.scroll_into_view_if_needed()
        expect(link).to_be_in_viewport()
    for path in ["/articles/", "/articles/add/", "/dossiers/", "/annotations/tags/", "/articles/search/"]:
        page.goto(f"{server_url}{path}")
        overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than a 390px-wide screen"
    main_nav(page).get_by_role("link", name="Add articles").click()
    expect(page.get_by_role("heading", name="Add articles", level=1)).to_be_visible()


def test_keyboard_focus_is_visible_on_the_main_navigation(signed_in_page):
    page = signed_in_page
    first_link = main_nav(page).get_by_role("link").first
    for _ in range(5):  # the skip link and the brand come first
        page.keyboard.press("Tab")
        if first_link.evaluate("link => link === document.activeElement"):
            break
    expect(first_link).to_be_focused()
    outline = first_link.evaluate(
        "link => { const s = getComputedStyle(link); return [s.outlineStyle, s.outlineWidth]; }"
    )
    assert outline[0] != "none" and outline[1] != "0px", f"no visible focus outline: {outline}"
