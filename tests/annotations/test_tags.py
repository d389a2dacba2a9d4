"""The Tags page: usage counts, filter and paging; rename, recolour, merge and delete."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from annotations import services
from annotations.models import TAG_COLOURS, Annotation, Tag
from tests.factories import AnnotationFactory, ArticleFactory, MembershipFactory, TagFactory
from workspace.models import Role

pytestmark = pytest.mark.django_db

LIST_QUERIES = 6  # session, user, memberships, the count of tags, the page's tag ids, those tags with their counts
ACTIONS = ["rename", "recolour", "merge", "delete"]


def tags_url(**params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("annotations:tags") + (f"?{query}" if query else "")


def action_url(tag) -> str:
    return reverse("annotations:tag_action", args=[tag.pk])


def tree_of(response):
    return lxml_html.fromstring(response.content.decode())


def rows(response) -> list[dict[str, str]]:
    """Each row of the table of tags: its name, colour class and the passage and article cells."""
    found = []
    for row in tree_of(response).xpath("//table//tbody/tr"):
        chip = row.xpath("./th//span")[0]
        cells = row.xpath("./td")
        found.append(
            {
                "name": chip.text_content().strip(),
                "class": chip.get("class"),
                "passages": " ".join(cells[0].text_content().split()),
                "articles": " ".join(cells[1].text_content().split()),
            }
        )
    return found


def names(response) -> list[str]:
    return [row["name"] for row in rows(response)]


def passage(workspace, *tags, **extra) -> Annotation:
    annotation = AnnotationFactory(article=ArticleFactory(workspace=workspace), **extra)
    annotation.tags.add(*tags)
    return annotation


def post(client, tag, **data):
    return client.post(action_url(tag), data)


def message_texts(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- The page -----------------------------------------------------------------------------------


def test_each_tag_shows_its_live_passages_and_articles(viewer_client, workspace):
    tag = TagFactory(workspace=workspace, name="flood defences", colour="teal")
    passage(workspace, tag)
    passage(workspace, tag)
    passage(workspace, tag, deleted_at=timezone.now())
    tag.articles.add(ArticleFactory(workspace=workspace))

    response = viewer_client.get(tags_url())

    assert rows(response) == [
        {"name": "flood defences", "class": "tag tag--teal", "passages": "2 passages", "articles": "1 article"}
    ]


def test_the_passage_count_links_to_the_tags_passages(viewer_client, workspace):
    tag = TagFactory(workspace=workspace)
    passage(workspace, tag)

    response = viewer_client.get(tags_url())

    assert tree_of(response).xpath("//tbody//td//a/@href") == [f"{reverse('articles:list')}?tags={tag.pk}"]


def test_tags_are_sorted_by_name_whatever_their_case(viewer_client, workspace):
    for name in ["police", "Budget", "age checks"]:
        TagFactory(workspace=workspace, name=name)

    assert names(viewer_client.get(tags_url())) == ["age checks", "Budget", "police"]


def test_only_the_current_workspaces_tags_are_listed(viewer_client, workspace, other_workspace):
    TagFactory(workspace=workspace, name="ours")
    TagFactory(workspace=other_workspace, name="theirs")

    assert names(viewer_client.get(tags_url())) == ["ours"]


def test_a_workspace_without_tags_gets_the_empty_state(viewer_client):
    response = viewer_client.get(tags_url())

    assert response.status_code == 200
    assert "No tags yet" in response.content.decode()
    assert not tree_of(response).xpath("//table")


def test_the_filter_box_keeps_tags_whose_name_contains_the_words(viewer_client, workspace):
    for name in ["Age verification", "age checks", "police"]:
        TagFactory(workspace=workspace, name=name)

    response = viewer_client.get(tags_url(q="AGE"))

    assert names(response) == ["age checks", "Age verification"]
    assert tree_of(response).xpath("//input[@name='q']/@value") == ["AGE"]


def test_a_filter_matching_nothing_says_so(viewer_client, workspace):
    TagFactory(workspace=workspace, name="police")

    response = viewer_client.get(tags_url(q="budget"))

    assert "No tag matches “budget”" in response.content.decode()


def test_tags_are_paged_by_one_hundred(viewer_client, workspace):
    Tag.objects.bulk_create(Tag(workspace=workspace, name=f"theme {n:03}") for n in range(150))

    first, second = viewer_client.get(tags_url()), viewer_client.get(tags_url(page=2))

    assert names(first) == [f"theme {n:03}" for n in range(100)]
    assert names(second) == [f"theme {n:03}" for n in range(100, 150)]
    assert tree_of(first).xpath("//nav[@class='pagination']//a[@rel='next']/@href") == ["?page=2"]


def test_paging_keeps_the_filter(viewer_client, workspace):
    Tag.objects.bulk_create(Tag(workspace=workspace, name=f"theme {n:03}") for n in range(120))
    Tag.objects.bulk_create(Tag(workspace=workspace, name=f"other {n:03}") for n in range(120))

    response = viewer_client.get(tags_url(q="theme", page=2))

    assert names(response) == [f"theme {n:03}" for n in range(100, 120)]
    assert tree_of(response).xpath("//nav[@class='pagination']//a[@rel='prev']/@href") == ["?q=theme&page=1"]


@pytest.mark.parametrize("count", [5, 200])
def test_the_page_takes_the_same_queries_whatever_the_number_of_tags(
    editor_client, workspace, count, django_assert_max_num_queries
):
    tags = Tag.objects.bulk_create(Tag(workspace=workspace, name=f"theme {n:03}") for n in range(count))
    for tag in tags[:5]:
        passage(workspace, tag)
        tag.articles.add(ArticleFactory(workspace=workspace))

    with django_assert_max_num_queries(LIST_QUERIES):
        response = editor_client.get(tags_url())

    assert len(rows(response)) == min(count, 100)


def test_the_last_page_counts_only_its_own_tags(editor_client, workspace):
    """A deep page does not count the usage of every tag before it (OFFSET did: 120 ms at 2,000 tags)."""
    tags = Tag.objects.bulk_create(Tag(workspace=workspace, name=f"theme {n:03}") for n in range(250))
    passage(workspace, tags[-1])
    with CaptureQueriesContext(connection) as queries:
        response = editor_client.get(tags_url(page=3))
    assert names(response) == [f"theme {n:03}" for n in range(200, 250)]
    counted = [q["sql"] for q in queries.captured_queries if "COUNT(*)" in q["sql"] and "OFFSET" in q["sql"]]
    assert counted == []


def test_a_viewer_sees_no_controls_to_change_tags(viewer_client, workspace):
    TagFactory(workspace=workspace)

    tree = tree_of(viewer_client.get(tags_url()))

    assert not tree.xpath("//form[@method='post' and contains(@action, '/tags/')]")
    assert not tree.xpath("//details[contains(@class, 'tag-edit')]")


def test_an_editor_gets_rename_recolour_merge_and_delete_controls(editor_client, workspace):
    tag = TagFactory(workspace=workspace)

    tree = tree_of(editor_client.get(tags_url()))

    assert sorted(tree.xpath(f"//form[@action='{action_url(tag)}']/input[@name='action']/@value")) == [
        "delete",
        "recolour",
        "rename",
    ]
    assert tree.xpath(f"//a[@href='?merge={tag.pk}#merge']")


def test_the_merge_panel_offers_every_other_tag_of_the_workspace(editor_client, workspace, other_workspace):
    source = TagFactory(workspace=workspace, name="age checks")
    TagFactory(workspace=workspace, name="age verification")
    TagFactory(workspace=other_workspace, name="elsewhere")

    tree = tree_of(editor_client.get(tags_url(merge=source.pk)))

    assert tree.xpath("//select[@name='target']/option/text()") == ["Choose a tag…", "age verification"]


def test_a_viewer_gets_no_merge_panel(viewer_client, workspace):
    source = TagFactory(workspace=workspace)
    TagFactory(workspace=workspace)

    assert not tree_of(viewer_client.get(tags_url(merge=source.pk))).xpath("//select[@name='target']")


# --- Rename ------------------------------------------------------------------------------------


def test_rename_changes_the_name(editor_client, workspace):
    tag = TagFactory(workspace=workspace, name="flod defences")

    response = post(editor_client, tag, action="rename", name="  flood   defences ", next=tags_url(q="flo"))

    assert response.status_code == 302
    assert response.url == tags_url(q="flo")
    tag.refresh_from_db()
    assert tag.name == "flood defences"


def test_rename_says_what_changed(editor_client, workspace):
    tag = TagFactory(workspace=workspace, name="flod defences")

    response = post(editor_client, tag, action="rename", name="flood defences", next=tags_url())

    assert message_texts(editor_client.get(response.url)) == ["“flod defences” renamed to “flood defences”."]


def test_rename_may_change_only_the_case(editor_client, workspace):
    tag = TagFactory(workspace=workspace, name="ofcom")

    post(editor_client, tag, action="rename", name="Ofcom")

    assert list(Tag.objects.values_list("name", flat=True)) == ["Ofcom"]


def test_renaming_onto_an_existing_name_merges_into_that_tag(editor_client, workspace):
    source = TagFactory(workspace=workspace, name="age checks")
    target = TagFactory(workspace=workspace, name="Age Verification")
    annotation = passage(workspace, source)

    response = post(editor_client, source, action="rename", name="age verification")

    assert response.status_code == 302
    assert list(Tag.objects.all()) == [target]
    assert list(annotation.tags.all()) == [target]


def test_renaming_onto_an_existing_name_says_it_merged(editor_client, workspace):
    source = TagFactory(workspace=workspace, name="age checks")
    TagFactory(workspace=workspace, name="Age Verification")
    passage(workspace, source)

    response = post(editor_client, source, action="rename", name="age verification", next=tags_url())

    assert message_texts(editor_client.get(response.url)) == [
        "“age checks” merged into “Age Verification”, which already had that name: 1 passage moved."
    ]


def test_rename_service_merges_when_the_name_exists(workspace):
    source = TagFactory(workspace=workspace, name="age checks")
    target = TagFactory(workspace=workspace, name="age verification")

    assert services.rename_tag(tag=source, name="AGE VERIFICATION") == target
    assert not Tag.objects.filter(pk=source.pk).exists()


# --- Recolour ----------------------------------------------------------------------------------


def test_recolour_changes_the_colour(editor_client, workspace):
    tag = TagFactory(workspace=workspace, colour="amber")

    response = post(editor_client, tag, action="recolour", colour="violet")

    assert response.status_code == 302
    tag.refresh_from_db()
    assert tag.colour == "violet"


def test_the_colour_select_shows_each_colour(editor_client, workspace):
    tag = TagFactory(workspace=workspace, colour="rose")

    tree = tree_of(editor_client.get(tags_url()))

    options = tree.xpath(f"//select[@id='tag-colour-{tag.pk}']/option")
    assert [o.get("class") for o in options] == [f"tag--{c}" for c in services.TAG_COLOURS]
    assert [o.get("value") for o in options if o.get("selected") is not None] == ["rose"]


# --- Merge -------------------------------------------------------------------------------------


def test_merge_moves_passages_and_articles_without_duplicates_and_deletes_the_source(editor_client, workspace):
    source = TagFactory(workspace=workspace, name="age checks")
    target = TagFactory(workspace=workspace, name="age verification")
    only_source, both = passage(workspace, source), passage(workspace, source, target)
    story, shared_story = ArticleFactory(workspace=workspace), ArticleFactory(workspace=workspace)
    source.articles.add(story, shared_story)
    target.articles.add(shared_story)

    response = post(editor_client, source, action="merge", target=target.pk)

    assert response.status_code == 302
    assert not Tag.objects.filter(pk=source.pk).exists()
    assert sorted(Annotation.tags.through.objects.values_list("annotation_id", "tag_id")) == [
        (only_source.pk, target.pk),
        (both.pk, target.pk),
    ]
    assert sorted(Tag.articles.through.objects.values_list("article_id", "tag_id")) == [
        (story.pk, target.pk),
        (shared_story.pk, target.pk),
    ]


def test_merge_says_how_many_passages_moved(editor_client, workspace):
    source = TagFactory(workspace=workspace, name="age checks")
    target = TagFactory(workspace=workspace, name="age verification")
    passage(workspace, source)
    passage(workspace, source)

    response = post(editor_client, source, action="merge", target=target.pk, next=tags_url())

    assert message_texts(editor_client.get(response.url)) == [
        "“age checks” merged into “age verification”: 2 passages moved."
    ]


def test_merge_raises_the_version_of_the_moved_annotations(workspace):
    source, target = TagFactory(workspace=workspace), TagFactory(workspace=workspace)
    annotation = passage(workspace, source)

    services.merge_tags(source=source, target=target)

    annotation.refresh_from_db()
    assert annotation.version == 2


def test_merge_into_another_workspaces_tag_is_not_found(editor_client, workspace, other_workspace):
    source = TagFactory(workspace=workspace)
    foreign = TagFactory(workspace=other_workspace)
    MembershipFactory(workspace=other_workspace, user=editor_client.user, role=Role.OWNER)

    response = post(editor_client, source, action="merge", target=foreign.pk)

    assert response.status_code == 404
    assert Tag.objects.count() == 2


def test_merge_service_refuses_tags_of_two_workspaces(workspace, other_workspace):
    source, foreign = TagFactory(workspace=workspace), TagFactory(workspace=other_workspace)

    with pytest.raises(ValidationError):
        services.merge_tags(source=source, target=foreign)


def test_merge_into_itself_is_refused(editor_client, workspace):
    tag = TagFactory(workspace=workspace)

    response = post(editor_client, tag, action="merge", target=tag.pk)

    assert response.status_code == 422
    assert message_texts(response) == ["A tag cannot be merged into itself."]
    assert Tag.objects.filter(pk=tag.pk).exists()


# --- Delete ------------------------------------------------------------------------------------


def test_delete_removes_the_tag_but_keeps_its_passages_and_articles(editor_client, workspace):
    tag = TagFactory(workspace=workspace)
    annotation = passage(workspace, tag)
    story = ArticleFactory(workspace=workspace)
    tag.articles.add(story)

    response = post(editor_client, tag, action="delete")

    assert response.status_code == 302
    assert not Tag.objects.filter(pk=tag.pk).exists()
    assert Annotation.objects.live().filter(pk=annotation.pk).exists()
    assert list(annotation.tags.all()) == []
    assert story.tags.count() == 0


def test_delete_is_confirmed_in_a_second_step(editor_client, workspace):
    tag = TagFactory(workspace=workspace, name="police")

    tree = tree_of(editor_client.get(tags_url()))

    button = tree.xpath(f"//details[contains(@class, 'tag-edit__delete')]//form[@action='{action_url(tag)}']//button")
    assert [b.text_content() for b in button] == ["Delete “police”"]


def test_delete_says_the_passages_are_kept(editor_client, workspace):
    tag = TagFactory(workspace=workspace, name="police")
    passage(workspace, tag)

    response = post(editor_client, tag, action="delete", next=tags_url())

    assert message_texts(editor_client.get(response.url)) == [
        "Tag “police” deleted. It was removed from 1 passage; the passages themselves are kept."
    ]


# --- Bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "rename", "name": "   "}, "Give the tag a name."),
        ({"action": "rename", "name": "x" * 81}, "A tag name can be at most 80 characters long; this one has 81."),
        (
            {"action": "recolour", "colour": "tartan"},
            "Choose one of the colours: " + ", ".join(services.TAG_COLOURS) + ".",
        ),
        ({"action": "merge", "target": ""}, "Choose the tag to merge “police” into."),
        ({"action": "explode"}, "Choose rename, recolour, merge or delete."),
    ],
)
def test_bad_input_is_refused_with_a_message(editor_client, workspace, data, message):
    tag = TagFactory(workspace=workspace, name="police", colour="amber")

    response = post(editor_client, tag, **data)

    assert response.status_code == 422
    assert message_texts(response) == [message]
    tag.refresh_from_db()
    assert (tag.name, tag.colour) == ("police", "amber")


def test_a_refused_rename_keeps_what_was_typed_in_the_open_row(editor_client, workspace):
    tag = TagFactory(workspace=workspace, name="police")

    tree = tree_of(post(editor_client, tag, action="rename", name="x" * 81))

    assert tree.xpath(f"//input[@id='tag-name-{tag.pk}']/@value") == ["x" * 81]
    assert tree.xpath(f"//tr[@id='tag-{tag.pk}']//details[@class='tag-edit']")[0].get("open") is not None


def test_merge_into_a_tag_that_does_not_exist_is_not_found(editor_client, workspace):
    tag = TagFactory(workspace=workspace)

    assert post(editor_client, tag, action="merge", target=tag.pk + 1000).status_code == 404


# --- Permissions -------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ACTIONS)
def test_a_viewer_may_not_change_tags(viewer_client, workspace, action):
    tag, other = TagFactory(workspace=workspace, name="police"), TagFactory(workspace=workspace)

    response = post(viewer_client, tag, action=action, name="renamed", colour="teal", target=other.pk)

    assert response.status_code == 403
    assert Tag.objects.get(pk=tag.pk).name == "police"


@pytest.mark.parametrize("action", ACTIONS)
def test_an_outsider_cannot_find_the_tag(outsider_client, workspace, action):
    tag, other = TagFactory(workspace=workspace, name="police"), TagFactory(workspace=workspace)

    response = post(outsider_client, tag, action=action, name="renamed", colour="teal", target=other.pk)

    assert response.status_code == 404
    assert Tag.objects.get(pk=tag.pk).name == "police"


def test_changing_a_tag_needs_a_post(editor_client, workspace):
    tag = TagFactory(workspace=workspace)

    assert editor_client.get(action_url(tag)).status_code == 405


def test_a_tag_whose_passages_are_all_deleted_shows_no_passages(viewer_client, workspace):
    tag = TagFactory(workspace=workspace, name="gone")
    passage(workspace, tag, deleted_at=timezone.now())
    passage(workspace, tag, deleted_at=timezone.now())

    assert rows(viewer_client.get(tags_url()))[0]["passages"] == "No passages"


def test_each_row_offers_every_colour_with_its_own_selected(editor_client, workspace):
    teal, rose = TagFactory(workspace=workspace, colour="teal"), TagFactory(workspace=workspace, colour="rose")

    tree = tree_of(editor_client.get(tags_url()))

    for tag in (teal, rose):
        options = tree.xpath(f"//select[@id='tag-colour-{tag.pk}']/option")
        assert [o.get("value") for o in options] == TAG_COLOURS
        assert [o.get("value") for o in options if o.get("selected") is not None] == [tag.colour]
