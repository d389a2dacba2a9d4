"""The reader page: the article with its highlights, and the side panel of annotations."""

from urllib.parse import quote

import pytest
from django.urls import reverse
from lxml import html as lxml_html

from annotations.models import Annotation
from tests.annotations.conftest import AnnotationFactory, reader_url
from tests.factories import DossierFactory, TagFactory

pytestmark = pytest.mark.django_db

HOMES = "more than 400 homes flooded in 2023"
COST = "the scheme would cost £14m"
OPENING = "The council has postponed work"
READER_QUERIES = 12  # session, user, memberships, article, annotations, their authors, their tags, original,
# near-duplicates, article tags, its dossiers, and the dossiers the toolbar can pin to


def has_class(name: str) -> str:
    """An XPath predicate for an element with the CSS class `name`."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


BODY_MARKS = f"//*[{has_class('reader__body')}]//mark"
PASSAGES = f"//*[{has_class('annotation-panel')}]/ol"
ORPHANS = f"//*[{has_class('annotation-orphans')}]"
ARTICLE_NOTES = f"//*[{has_class('annotation-article-notes')}]"
ENTRY = f"//li[{has_class('annotation')}]"


def page(response):
    assert response.status_code == 200
    return lxml_html.fromstring(response.content.decode())


def panel_ids(tree, section: str) -> list[int]:
    return [int(li.get("data-annotation")) for li in tree.xpath(section + ENTRY)]


def highlighted(tree) -> dict[int, str]:
    """Annotation id → the text highlighted for it in the article body."""
    found: dict[int, str] = {}
    for mark in tree.xpath(BODY_MARKS):
        for pk in mark.get("data-annotations").split():
            found[int(pk)] = found.get(int(pk), "") + mark.text_content()
    return found


def test_highlights_show_each_passage_in_the_article(viewer_client, ready_article, workspace):
    tag = TagFactory(workspace=workspace, name="cost", colour="teal")
    homes = AnnotationFactory(article=ready_article, passage=HOMES)
    cost = AnnotationFactory(article=ready_article, passage=COST, tags=[tag])

    tree = page(viewer_client.get(reader_url(ready_article)))

    assert highlighted(tree) == {homes.pk: HOMES, cost.pk: COST}
    assert "tag--teal" in tree.xpath(f'//mark[@data-annotations="{cost.pk}"]')[0].get("class")


def test_the_panel_lists_passages_in_the_order_they_appear_in_the_text(viewer_client, ready_article):
    last = AnnotationFactory(article=ready_article, passage="a new timetable")
    middle = AnnotationFactory(article=ready_article, passage=COST)
    first = AnnotationFactory(article=ready_article, passage=OPENING)
    second = AnnotationFactory(article=ready_article, passage=HOMES)

    tree = page(viewer_client.get(reader_url(ready_article)))

    assert panel_ids(tree, PASSAGES) == [first.pk, second.pk, middle.pk, last.pk]
    quotes = [q.text_content() for q in tree.xpath(f"{PASSAGES}//*[{has_class('annotation__quote')}]")]
    assert quotes == [f"“{OPENING}”", f"“{HOMES}”", f"“{COST}”", "“a new timetable”"]


def test_orphaned_passages_and_article_notes_are_listed_apart(viewer_client, ready_article):
    live = AnnotationFactory(article=ready_article, passage=HOMES)
    orphan = AnnotationFactory(
        article=ready_article,
        exact="a quote that was cleaned away",
        start=None,
        end=None,
        anchor=Annotation.Anchor.ORPHANED,
        anchor_score=0.0,
        note="Ask the *editor*",
    )
    note = AnnotationFactory(article=ready_article, note="Follow up next week")

    tree = page(viewer_client.get(reader_url(ready_article)))

    assert panel_ids(tree, PASSAGES) == [live.pk]
    assert panel_ids(tree, ORPHANS) == [orphan.pk]
    assert panel_ids(tree, ARTICLE_NOTES) == [note.pk]
    orphans = tree.xpath(ORPHANS)[0]
    assert "Passages no longer found 1" in " ".join(orphans.xpath(".//h3")[0].text_content().split())
    assert "“a quote that was cleaned away”" in orphans.text_content()
    assert orphans.xpath(f".//*[{has_class('annotation__note')}]//em")[0].text == "editor"
    assert orphan.pk not in highlighted(tree)
    assert tree.xpath("//*[@id='panel-title']/span")[0].text == "3"


def test_anchor_health_is_shown_for_approximate_moved_and_lost_passages(viewer_client, ready_article):
    AnnotationFactory(article=ready_article, passage=OPENING)
    fuzzy = AnnotationFactory(article=ready_article, passage=COST, anchor="fuzzy", anchor_score=0.8234)
    moved = AnnotationFactory(article=ready_article, passage=HOMES, anchor="moved")
    AnnotationFactory(article=ready_article, exact="gone", start=None, end=None, anchor="orphaned", anchor_score=0)

    tree = page(viewer_client.get(reader_url(ready_article)))

    health = {
        int(li.get("data-annotation")): " ".join(
            li.xpath(f".//*[{has_class('anchor-health')}]")[0].text_content().split()
        )
        for li in tree.xpath(ENTRY)
        if li.xpath(f".//*[{has_class('anchor-health')}]")
    }
    assert health[fuzzy.pk] == "Approximate match (0.82): check this highlight."
    assert health[moved.pk] == "Moved: found at a new place in the text."
    assert list(health.values()).count("Not found in the current text.") == 1
    assert len(health) == 3  # an exact passage needs no warning


def test_a_viewer_sees_annotations_but_no_way_to_change_them(viewer_client, ready_article):
    AnnotationFactory(article=ready_article, passage=HOMES, note="Visible to all")
    AnnotationFactory(article=ready_article, exact="gone", start=None, end=None, anchor="orphaned")

    response = viewer_client.get(reader_url(ready_article))
    tree = page(response)

    assert "Visible to all" in tree.xpath(f"//*[{has_class('annotation-panel')}]")[0].text_content()
    assert not tree.xpath("//*[@data-edit or @data-delete or @data-reattach] | //form[@data-article-note]")
    assert tree.xpath("//*[@id='annotated']")[0].get("data-can-edit") == "false"
    assert "Select a passage" not in response.content.decode()


def test_an_editor_gets_edit_and_delete_only_on_their_own_annotations(editor_client, ready_article):
    mine = AnnotationFactory(article=ready_article, passage=HOMES, author=editor_client.user)
    theirs = AnnotationFactory(article=ready_article, passage=COST)
    my_orphan = AnnotationFactory(
        article=ready_article, author=editor_client.user, exact="gone", start=None, end=None, anchor="orphaned"
    )

    tree = page(editor_client.get(reader_url(ready_article)))

    assert [int(b.get("data-edit")) for b in tree.xpath("//*[@data-edit]")] == [mine.pk, my_orphan.pk]
    assert [int(b.get("data-delete")) for b in tree.xpath("//*[@data-delete]")] == [mine.pk, my_orphan.pk]
    assert [int(b.get("data-reattach")) for b in tree.xpath("//*[@data-reattach]")] == [my_orphan.pk]
    assert theirs.pk in panel_ids(tree, PASSAGES)
    assert tree.xpath("//form[@data-article-note]")


def test_an_owner_gets_edit_and_delete_on_everyones_annotations(owner_client, ready_article):
    annotations = [AnnotationFactory(article=ready_article, passage=p) for p in (OPENING, HOMES, COST)]

    tree = page(owner_client.get(reader_url(ready_article)))

    assert [int(b.get("data-edit")) for b in tree.xpath("//*[@data-edit]")] == [a.pk for a in annotations]


def test_a_note_with_a_script_is_shown_as_harmless_text(viewer_client, ready_article):
    AnnotationFactory(
        article=ready_article, passage=HOMES, note="<script>alert('x')</script> [go](javascript:alert(1))"
    )

    tree = page(viewer_client.get(reader_url(ready_article)))

    assert all("alert" not in (script.text or "") for script in tree.iter("script"))
    note = tree.xpath(f"//*[{has_class('annotation__note')}]")[0]
    assert "<script>alert('x')</script>" in note.text_content()
    assert not note.xpath(".//a")


def test_deleted_annotations_are_not_shown(viewer_client, ready_article):
    gone = AnnotationFactory(article=ready_article, passage=HOMES, note="deleted note")
    gone.deleted_at = gone.created_at
    gone.save()

    tree = page(viewer_client.get(reader_url(ready_article)))

    assert not highlighted(tree)
    assert "deleted note" not in tree.text_content()
    assert "No annotations yet." in tree.xpath(f"//*[{has_class('annotation-panel__empty')}]")[0].text_content()


def test_the_annotated_part_alone_is_sent_to_htmx(viewer_client, ready_article):
    annotation = AnnotationFactory(article=ready_article, passage=HOMES)

    response = viewer_client.get(reader_url(ready_article), {"part": "annotated"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    body = response.content.decode().strip()
    assert body.startswith('<div class="annotated" id="annotated"')
    assert "<html" not in body
    assert "reader__head" not in body
    assert highlighted(lxml_html.fragment_fromstring(body)) == {annotation.pk: HOMES}


def test_without_htmx_the_annotated_part_is_the_whole_page(viewer_client, ready_article):
    response = viewer_client.get(reader_url(ready_article), {"part": "annotated"})

    assert "<html" in response.content.decode()
    assert page(response).xpath(f"//*[{has_class('reader__head')}]")


def test_another_workspaces_reader_is_not_found(outsider_client, ready_article):
    assert outsider_client.get(reader_url(ready_article)).status_code == 404


def test_the_reader_shows_all_of_five_hundred_annotations(editor_client, ready_article):
    AnnotationFactory.create_batch(500, article=ready_article, passage=HOMES)

    tree = page(editor_client.get(reader_url(ready_article)))

    assert len(tree.xpath(PASSAGES + ENTRY)) == 500
    assert len(highlighted(tree)) == 500


def make_annotations(article, workspace, editor, count: int) -> None:
    tags = [TagFactory(workspace=workspace, name=f"theme {n}") for n in range(3)]
    text = article.text
    for n in range(count):
        start = (n * 7) % (len(text) - 40)
        while text[start].isspace():
            start += 1
        author = editor if n % 2 else None
        annotation = AnnotationFactory(
            article=article,
            start=start,
            end=start + 30,
            exact=text[start : start + 30],
            author=author,
            note=f"Note *{n}*",
        )
        annotation.tags.set(tags[: n % 3])
    AnnotationFactory(article=article, exact="gone", start=None, end=None, anchor="orphaned")
    AnnotationFactory(article=article, note="On the whole article", author=editor)


@pytest.mark.parametrize("count", [5, 500])
def test_the_reader_costs_the_same_number_of_queries_for_5_or_500_annotations_and_dossiers(
    editor_client, ready_article, workspace, django_assert_max_num_queries, count
):
    make_annotations(ready_article, workspace, editor_client.user, count)
    DossierFactory.create_batch(count, workspace=workspace)  # each offered in the toolbar's "Pin to"

    with django_assert_max_num_queries(READER_QUERIES):
        response = editor_client.get(reader_url(ready_article))

    assert response.status_code == 200


# --- What each panel entry carries (written by annotations/panel.py) ------------------------------


def entry_of(tree, annotation):
    return tree.xpath(f"{ENTRY}[@data-annotation='{annotation.pk}']")[0]


def test_each_entry_carries_its_version_note_and_tags_in_name_order(editor_client, ready_article, workspace):
    tags = [TagFactory(workspace=workspace, name=name, colour=colour) for name, colour in [("b", "rose"), ("a", "sky")]]
    annotation = AnnotationFactory(article=ready_article, passage=HOMES, note="Check *this*.", tags=tags)

    tree = page(editor_client.get(reader_url(ready_article)))

    entry = entry_of(tree, annotation)
    assert (entry.get("data-version"), entry.get("data-note"), entry.get("data-tags")) == ("1", "Check *this*.", "a, b")
    assert [(t.get("class"), t.text) for t in entry.xpath(".//*[@class='annotation__tags']/span")] == [
        ("tag tag--sky", "a"),
        ("tag tag--rose", "b"),
    ]
    assert entry.xpath(".//*[@class='annotation__note']/p/em")[0].text == "this"
    assert "tag--sky" in tree.xpath(f'//mark[@data-annotations="{annotation.pk}"]')[0].get("class")


def test_each_entry_names_its_author_and_when_it_changed(editor_client, ready_article):
    signed = AnnotationFactory(article=ready_article, passage=HOMES)
    anonymous = AnnotationFactory(article=ready_article, passage=COST, author=None)

    tree = page(editor_client.get(reader_url(ready_article)))

    meta = entry_of(tree, signed).xpath(".//*[@class='annotation__meta']")[0]
    assert meta.text_content().startswith(f"{signed.author} · ") and meta.text_content().endswith(" ago")
    assert meta.xpath("./time/@datetime") == [signed.updated_at.isoformat()]
    assert entry_of(tree, anonymous).xpath(".//*[@class='annotation__meta']")[0].text_content().startswith("Someone · ")


def test_a_long_quote_is_shortened_in_the_panel_but_highlighted_whole(viewer_client, ready_article):
    text = ready_article.text
    annotation = AnnotationFactory(article=ready_article, passage=text[: text.index(COST) + len(COST)])
    assert len(annotation.exact) > 280

    tree = page(viewer_client.get(reader_url(ready_article)))

    quote = entry_of(tree, annotation).xpath(".//*[@class='annotation__quote']")[0].text_content()
    assert len(quote) == 282 and quote.endswith("…”") and quote.startswith(f"“{annotation.exact[:100]}")
    assert highlighted(tree)[annotation.pk] == annotation.exact.replace("\n\n", "")  # marks within each paragraph


def test_markup_in_a_note_tag_or_author_name_is_shown_as_text_in_the_panel(editor_client, ready_article, workspace):
    tag = TagFactory(workspace=workspace, name='<img src=x onerror="alert(1)">')
    author = AnnotationFactory(article=ready_article, passage=HOMES).author
    author.first_name, author.last_name = "<b>Eve</b>", '"Mallory"'
    author.save()
    annotation = AnnotationFactory(
        article=ready_article, passage=COST, author=author, note='"><script>x</script>', tags=[tag]
    )

    response = editor_client.get(reader_url(ready_article))

    body = response.content.decode()
    assert "<script>x</script>" not in body and "<img src=x" not in body and "<b>Eve</b>" not in body
    entry = entry_of(page(response), annotation)
    assert entry.get("data-note") == '"><script>x</script>'
    assert entry.get("data-tags") == tag.name
    assert entry.xpath(".//*[@class='annotation__tags']/span")[0].text == tag.name
    assert entry.xpath(".//*[@class='annotation__meta']")[0].text_content().startswith('<b>Eve</b> "Mallory" · ')


def test_the_pin_link_of_each_entry_comes_back_to_the_reader(editor_client, viewer_client, ready_article):
    annotation = AnnotationFactory(article=ready_article, passage=HOMES)
    expected = f"{reverse('dossiers:pin')}?annotation={annotation.pk}&next={quote(reader_url(ready_article))}"

    pin = entry_of(page(editor_client.get(reader_url(ready_article))), annotation).xpath(".//details")[0]

    assert pin.get("hx-get") == expected and pin.xpath(".//a/@href") == [expected]
    assert not entry_of(page(viewer_client.get(reader_url(ready_article))), annotation).xpath(".//details")
