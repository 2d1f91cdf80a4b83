"""The shared pager (core/pager.html): previous / next keep the page's filters, never two pages."""

from urllib.parse import parse_qs, urlsplit

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation


def links(html: str) -> list[dict]:
    found = []
    for chunk in html.split('href="')[1:]:
        href = chunk.split('"', 1)[0].replace("&amp;", "&")
        found.append(parse_qs(urlsplit(href).query))
    return found


def render(path: str, number: int) -> str:
    request = RequestFactory().get(path)
    page = Paginator(list(range(120)), 50).get_page(number)
    with translation.override("zh-hans"):
        return render_to_string("core/pager.html", {"page": page}, request=request)


def test_next_and_previous_keep_the_filters_and_replace_the_page():
    html = render("/audit/?q=东关村&outcome=failure&page=2", 2)
    previous, following = links(html)
    assert previous == {"q": ["东关村"], "outcome": ["failure"], "page": ["1"]}
    assert following == {"q": ["东关村"], "outcome": ["failure"], "page": ["3"]}
    assert "第2页，共3页" in html


def test_one_page_draws_no_pager():
    request = RequestFactory().get("/")
    page = Paginator([1, 2], 50).get_page(1)
    assert render_to_string("core/pager.html", {"page": page}, request=request).strip() == ""
