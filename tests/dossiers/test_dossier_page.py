"""The dossier page and what a curator does on it."""

from datetime import date

import pytest
from django.urls import reverse
from lxml import etree
from lxml import html as lxml_html

from dossiers import services, views
from dossiers.models import DossierPassage
from tests.factories import AnnotationFactory, ArticleFactory, DossierFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(workspace):
    return DossierFactory(workspace=workspace, description="Harms to **children** online.")


def build(dossier, stories: int, passages_per_story: int):
    tag = TagFactory(workspace=dossier.workspace, name="age checks")
    section = services.create_section(dossier=dossier, title="Scale of the problem")
    for n in range(stories):
        article = ArticleFactory(
            workspace=dossier.workspace, published_on=date(2026, 1 + n % 12, 1), site_name=f"Site {n % 3}"
        )
        services.add_article(dossier=dossier, article=article)
        for _ in range(passages_per_story):
            annotation = AnnotationFactory(article=article)
            annotation.tags.add(tag)
            services.pin_passage(dossier=dossier, annotation=annotation, section=section if n % 2 else None)
    return section


def test_page_shows_overview_timeline_sections_tags_and_sources(editor_client, dossier):
    build(dossier, stories=4, passages_per_story=2)
    page = editor_client.get(dossier.get_absolute_url()).content.decode()
    assert "<strong>children</strong>" in page
    assert '<span class="stat__value">4</span><span class="stat__label">stories' in page
    assert '<span class="stat__value">8</span><span class="stat__label">passages' in page
    assert '<svg class="timeline"' in page and "Jan 2026" in page
    assert "Scale of the problem" in page and "Other passages" in page
    assert "Site 0" in page
    tags = editor_client.get(reverse("dossiers:tags", args=[dossier.pk])).content.decode()
    assert "age checks" in tags


@pytest.mark.parametrize("stories", [3, 30])
def test_page_runs_a_fixed_number_of_queries_whatever_the_size(
    editor_client, dossier, stories, django_assert_max_num_queries
):
    build(dossier, stories=stories, passages_per_story=3)
    with django_assert_max_num_queries(16):
        response = editor_client.get(dossier.get_absolute_url())
    assert response.status_code == 200
    with django_assert_max_num_queries(6):
        tags = editor_client.get(reverse("dossiers:tags", args=[dossier.pk]))
    assert "age checks" in tags.content.decode()


def test_a_section_shows_its_first_passages_and_links_to_all(editor_client, dossier, settings):
    section = build(dossier, stories=50, passages_per_story=1)
    page = editor_client.get(dossier.get_absolute_url()).content.decode()
    assert "Show all 25 passages" in page
    listing = editor_client.get(reverse("dossiers:passages", args=[dossier.pk]), {"section": section.pk})
    assert listing.content.decode().count('class="pin"') == 25


def test_each_section_shows_its_own_first_passages_in_order(editor_client, dossier, workspace):
    sections = [services.create_section(dossier=dossier, title=f"Section {n}") for n in range(3)]
    article = ArticleFactory(workspace=workspace)
    for n in range(12):
        for number, section in enumerate([*sections, None]):
            annotation = AnnotationFactory(article=article, exact=f"quote {number}-{n:02}")
            services.pin_passage(dossier=dossier, annotation=annotation, section=section)
    tree = lxml_html.fromstring(editor_client.get(dossier.get_absolute_url()).content.decode())
    shown = [
        [quote.text_content() for quote in group.xpath(".//blockquote[@class='pin__quote']")]
        for group in tree.xpath("//div[@class='dossier-section']")
    ]
    assert shown == [[f"quote {number}-{n:02}" for n in range(10)] for number in range(4)]


def test_empty_dossier_says_how_to_fill_it(editor_client, dossier):
    page = editor_client.get(dossier.get_absolute_url()).content.decode()
    assert "This dossier is empty" in page


def test_pinning_a_passage_adds_its_story_too(editor_client, dossier, workspace):
    annotation = AnnotationFactory(article=ArticleFactory(workspace=workspace))
    response = editor_client.post(
        reverse("dossiers:pin"), {"annotation": annotation.pk, "dossier": dossier.pk, "note": "Shows scale."}
    )
    assert response.status_code == 302
    pin = DossierPassage.objects.get(dossier=dossier)
    assert pin.note == "Shows scale." and dossier.items.filter(article=annotation.article).exists()


def test_pinning_twice_says_so_and_keeps_one(editor_client, dossier, workspace):
    annotation = AnnotationFactory(article=ArticleFactory(workspace=workspace))
    data = {"annotation": annotation.pk, "dossier": dossier.pk}
    editor_client.post(reverse("dossiers:pin"), data)
    response = editor_client.post(reverse("dossiers:pin"), data, follow=True)
    assert DossierPassage.objects.count() == 1
    assert "already in" in response.content.decode()


def test_a_passage_of_another_workspace_cannot_be_pinned(editor_client, dossier, other_workspace):
    foreign = AnnotationFactory(article=ArticleFactory(workspace=other_workspace))
    response = editor_client.post(reverse("dossiers:pin"), {"annotation": foreign.pk, "dossier": dossier.pk})
    assert response.status_code == 404
    assert not DossierPassage.objects.exists()


def test_viewer_cannot_pin_or_change_the_dossier(viewer_client, dossier, workspace):
    annotation = AnnotationFactory(article=ArticleFactory(workspace=workspace))
    assert (
        viewer_client.post(reverse("dossiers:pin"), {"annotation": annotation.pk, "dossier": dossier.pk}).status_code
        == 403
    )
    assert viewer_client.post(reverse("dossiers:section_create", args=[dossier.pk]), {"title": "X"}).status_code == 403
    assert viewer_client.post(reverse("dossiers:archive", args=[dossier.pk]), {"archived": "1"}).status_code == 403


def test_outsider_gets_404_for_every_dossier_page(outsider_client, dossier):
    for name in ["dossiers:detail", "dossiers:edit", "dossiers:passages"]:
        assert outsider_client.get(reverse(name, args=[dossier.pk])).status_code == 404


def test_stories_are_reordered_and_annotated_by_the_curator(editor_client, dossier, workspace):
    first, second = (
        ArticleFactory(workspace=workspace, title="First"),
        ArticleFactory(workspace=workspace, title="Second"),
    )
    services.add_articles(dossier=dossier, articles=[first, second])
    item = dossier.items.get(article=second)
    editor_client.post(reverse("dossiers:story_action", args=[dossier.pk, item.pk]), {"action": "up"})
    editor_client.post(
        reverse("dossiers:story_action", args=[dossier.pk, item.pk]), {"action": "note", "note": "The turning point."}
    )
    assert list(dossier.items.order_by("position").values_list("article__title", flat=True)) == ["Second", "First"]
    assert "The turning point." in editor_client.get(dossier.get_absolute_url()).content.decode()


def test_removing_a_story_keeps_the_article(editor_client, dossier, workspace):
    article = ArticleFactory(workspace=workspace)
    item, _ = services.add_article(dossier=dossier, article=article)
    editor_client.post(reverse("dossiers:story_action", args=[dossier.pk, item.pk]), {"action": "remove"})
    assert not dossier.items.exists()
    article.refresh_from_db()


def test_deleting_a_section_keeps_its_passages_unsorted(editor_client, dossier):
    section = build(dossier, stories=2, passages_per_story=1)
    editor_client.post(reverse("dossiers:section_action", args=[dossier.pk, section.pk]), {"action": "delete"})
    assert dossier.passages.count() == 2 and not dossier.passages.exclude(section=None).exists()


def test_passage_moves_to_another_section_with_a_note(editor_client, dossier, workspace):
    build(dossier, stories=1, passages_per_story=1)
    target = services.create_section(dossier=dossier, title="Police capacity")
    pin = dossier.passages.get()
    editor_client.post(
        reverse("dossiers:passage_action", args=[dossier.pk, pin.pk]),
        {"action": "update", "section": target.pk, "note": "Why"},
    )
    pin.refresh_from_db()
    assert pin.section == target and pin.note == "Why"


def test_archived_dossiers_are_listed_apart(editor_client, dossier):
    editor_client.post(reverse("dossiers:archive", args=[dossier.pk]), {"archived": "1"})
    link = f'href="{dossier.get_absolute_url()}"'
    assert link not in editor_client.get(reverse("dossiers:list")).content.decode()
    assert link in editor_client.get(reverse("dossiers:list"), {"archived": "1"}).content.decode()


def test_a_huge_description_and_a_markup_title_are_handled(editor_client, dossier):
    response = editor_client.post(
        reverse("dossiers:edit", args=[dossier.pk]),
        {"title": "<script>alert(1)</script>", "description": "x" * 100_000},
    )
    assert response.status_code == 302
    page = editor_client.get(dossier.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_an_emoji_only_title_is_accepted(editor_client, dossier):
    response = editor_client.post(reverse("dossiers:edit", args=[dossier.pk]), {"title": "📱🧒", "description": ""})
    assert response.status_code == 302
    assert "📱🧒" in editor_client.get(dossier.get_absolute_url()).content.decode()


def test_tag_group_lists_its_passages(editor_client, dossier):
    build(dossier, stories=3, passages_per_story=1)
    tag = dossier.workspace.tags.get(name="age checks")
    response = editor_client.get(
        reverse("dossiers:passages", args=[dossier.pk]), {"tag": tag.pk}, headers={"HX-Request": "true"}
    )
    assert response.content.decode().count('class="pin"') == 3


# --- A big dossier: what is shown at once, and the way to the rest ---------------------------------


def tag_group_names(response) -> list[str]:
    tree = lxml_html.fromstring(response.content.decode())
    return [" ".join(s.text_content().split()) for s in tree.xpath("//details[@class='tag-group']/summary")]


def test_the_most_used_tags_are_shown_first_and_all_of_them_on_request(editor_client, dossier, monkeypatch):
    monkeypatch.setattr(views, "TAG_GROUPS_SHOWN", 2)
    build(dossier, stories=3, passages_per_story=1)  # three passages tagged "age checks"
    pins = list(dossier.passages.select_related("annotation"))
    for name, tagged in [("police", pins[:2]), ("budget", pins[:1]), ("Appeals", pins[1:2])]:
        tag = TagFactory(workspace=dossier.workspace, name=name)
        for pin in tagged:
            pin.annotation.tags.add(tag)

    first = editor_client.get(reverse("dossiers:tags", args=[dossier.pk]), headers={"HX-Request": "true"})
    every = editor_client.get(dossier.get_absolute_url(), {"tags": "all"})

    assert tag_group_names(first) == ["age checks 3 passages", "police 2 passages"]
    assert 'href="?tags=all#tags">Show all 4 tags</a>' in first.content.decode()
    assert tag_group_names(every) == [
        "age checks 3 passages",
        "police 2 passages",
        "Appeals 1 passage",
        "budget 1 passage",
    ]
    assert "Show all 4 tags" not in every.content.decode()
    assert 'Passages by tag <span class="muted">4</span>' in first.content.decode()


def test_the_tags_load_after_the_page_or_with_it_when_asked(editor_client, dossier):
    """Counting the tags of every pinned passage is the longest part of a big dossier's page."""
    build(dossier, stories=2, passages_per_story=1)
    page = lxml_html.fromstring(editor_client.get(dossier.get_absolute_url()).content.decode())
    (section,) = page.xpath("//section[@id='tags']")
    assert section.get("hx-get") == reverse("dossiers:tags", args=[dossier.pk]) and section.get("hx-trigger") == "load"
    assert section.xpath(".//a/@href") == ["?tags=top#tags"]  # without scripts, a link does it
    assert tag_group_names(editor_client.get(dossier.get_absolute_url(), {"tags": "top"})) == ["age checks 2 passages"]


def test_a_dossier_without_passages_has_no_tags_to_load(editor_client, dossier, workspace):
    services.add_article(dossier=dossier, article=ArticleFactory(workspace=workspace))
    page = lxml_html.fromstring(editor_client.get(dossier.get_absolute_url()).content.decode())
    assert page.xpath("//section[@id='tags']") == []


def test_a_tag_group_links_to_its_passages(editor_client, dossier):
    build(dossier, stories=1, passages_per_story=1)
    tag = dossier.workspace.tags.get(name="age checks")
    tree = lxml_html.fromstring(editor_client.get(reverse("dossiers:tags", args=[dossier.pk])).content.decode())
    url = f"{reverse('dossiers:passages', args=[dossier.pk])}?tag={tag.pk}"
    assert tree.xpath("//details[@class='tag-group']/@hx-get") == [url]
    assert tree.xpath("//details[@class='tag-group']//a/@href") == [url]


def test_sources_are_counted_most_first_with_unknown_sources_named(editor_client, dossier, workspace):
    for site in ["Gazette", "Herald", "Herald", ""]:
        services.add_article(dossier=dossier, article=ArticleFactory(workspace=workspace, site_name=site))
    tree = lxml_html.fromstring(editor_client.get(dossier.get_absolute_url()).content.decode())
    rows = [[td.text_content() for td in tr.xpath("./td")] for tr in tree.xpath("//table//tbody/tr")]
    assert rows == [["Herald", "2"], ["Gazette", "1"], ["Source not known (pasted or uploaded text)", "1"]]
    assert '<span class="stat__value">2</span><span class="stat__label">sources' in tree_text(tree)


def test_the_timeline_counts_stories_per_month_and_the_overview_gives_the_span(editor_client, dossier, workspace):
    for published in [date(2025, 11, 3), date(2025, 11, 28), date(2026, 2, 1), None]:
        services.add_article(dossier=dossier, article=ArticleFactory(workspace=workspace, published_on=published))
    page = editor_client.get(dossier.get_absolute_url()).content.decode()
    assert "Nov 2025 – Feb 2026" in page
    assert "<title>Nov 2025: 2 stories</title>" in page and "<title>Feb 2026: 1 story</title>" in page


def test_each_pin_can_be_moved_to_another_section_with_its_own_selected(editor_client, dossier):
    section = build(dossier, stories=2, passages_per_story=1)
    tree = lxml_html.fromstring(editor_client.get(dossier.get_absolute_url()).content.decode())
    for pin in dossier.passages.all():
        options = tree.xpath(f"//select[@id='pin-section-{pin.pk}']/option")
        assert [o.get("value") for o in options] == ["", str(section.pk)]
        selected = [o.get("value") for o in options if o.get("selected") is not None]
        assert selected == ([str(section.pk)] if pin.section_id else [])
        action = reverse("dossiers:passage_action", args=[dossier.pk, pin.pk])
        assert len(tree.xpath(f"//li[@id='pin-{pin.pk}']//form[@action='{action}']")) == 2


def tree_text(tree) -> str:
    return etree.tostring(tree, encoding="unicode", method="html")
