"""Full-text search and filters on the article list: the same behaviour on PostgreSQL and SQLite."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from annotations import services as annotation_services
from articles import search, views
from articles.filters import ORDERINGS
from articles.models import Article, NearDuplicate
from articles.paging import HitCount
from dossiers import services as dossier_services
from tests.factories import AnnotationFactory, ArticleFactory, DossierFactory, TagFactory

pytestmark = pytest.mark.django_db
URL = reverse("articles:list")


def story(workspace, title, text, **fields):
    return ArticleFactory(workspace=workspace, title=title, text=text, **fields)


def titles(client, **params) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return [a.title for a in response.context["page"].object_list]


@pytest.fixture
def corpus(workspace):
    return {
        "title": story(workspace, "Ofcom sets out age checks", "The regulator published its codes on Tuesday."),
        "body": story(
            workspace, "Council budget approved", "Councillors said Ofcom had written to them about age checks."
        ),
        "police": story(
            workspace, "Police units overstretched", "Reports of online abuse doubled, police chiefs said."
        ),
    }


def test_a_word_in_the_title_ranks_above_the_same_word_in_the_body(editor_client, corpus):
    assert titles(editor_client, q="ofcom") == ["Ofcom sets out age checks", "Council budget approved"]


def test_the_number_of_hits_is_shown(editor_client, corpus):
    page = editor_client.get(URL, {"q": "ofcom"}).content.decode()
    assert "2 results for “ofcom”" in page


def test_a_quoted_phrase_matches_only_the_words_together(editor_client, workspace, corpus):
    story(workspace, "Checks on age", "The checks were about the age of buildings.")
    assert set(titles(editor_client, q='"age checks"')) == {"Ofcom sets out age checks", "Council budget approved"}


def test_a_minus_word_excludes_articles(editor_client, corpus):
    assert titles(editor_client, q="ofcom -council") == ["Ofcom sets out age checks"]


def test_or_finds_either_word(editor_client, corpus):
    assert set(titles(editor_client, q="police or councillors")) == {
        "Police units overstretched",
        "Council budget approved",
    }


def test_word_forms_match(editor_client, corpus):
    assert titles(editor_client, q="doubling report") == ["Police units overstretched"]


def test_the_snippet_highlights_the_hit_and_escapes_the_text(editor_client, workspace):
    story(workspace, "Markup in text", "The page said <script>alert(1)</script> before the regulator spoke.")
    page = editor_client.get(URL, {"q": "regulator"}).content.decode()
    assert "<mark>regulator</mark>" in page
    assert "<script>alert(1)</script>" not in page  # escaped on SQLite; PostgreSQL's headline drops tags


def test_no_hit_ever_comes_from_another_workspace(editor_client, corpus, other_workspace):
    story(other_workspace, "Secret Ofcom memo", "Ofcom age checks leaked.")
    assert "Secret Ofcom memo" not in titles(editor_client, q="ofcom")


@pytest.mark.parametrize(
    "query",
    ['"unbalanced quote', "the and of", "!!! ??? ...", "x" * 10_000, "'; DROP TABLE articles_article; --",
     "📱 children 子供 дети", "-only -negative", "ofcom OR", 'a:b* ^c NEAR(d)'],
)  # fmt: skip
def test_odd_queries_give_results_or_a_message_never_an_error(editor_client, corpus, query):
    response = editor_client.get(URL, {"q": query})
    page = response.content.decode()
    assert response.status_code == 200
    # Either hits with their count, or a heading that says why there are none.
    assert (
        "for “" in page
        or "Nothing to search for" in page
        or "Nothing found" in page
        or "at most 500 characters" in page
    )
    assert Article.objects.count() == 3


def test_a_query_of_excluded_words_only_explains_itself(editor_client, corpus):
    page = editor_client.get(URL, {"q": "-ofcom"}).content.decode()
    assert "cannot be made of excluded words only" in page


def test_searching_emoji_and_other_scripts_finds_them(editor_client, workspace):
    story(workspace, "子供の安全", "オンラインの子供の安全 children 📱 safety")
    assert titles(editor_client, q="children") == ["子供の安全"]


def test_filters_combine_with_search(editor_client, workspace, corpus):
    story(workspace, "Ofcom in French", "Ofcom a publié ses codes.", language="fr", site_name="Le Monde")
    assert titles(editor_client, q="ofcom", language="fr") == ["Ofcom in French"]
    assert titles(editor_client, q="ofcom", language=" FR ") == ["Ofcom in French"]  # as typed
    assert titles(editor_client, q="ofcom", site="le monde") == ["Ofcom in French"]


def test_filter_by_tag_any_or_all(editor_client, workspace, corpus):
    age, police = TagFactory(workspace=workspace, name="age"), TagFactory(workspace=workspace, name="police")
    age.articles.add(corpus["title"], corpus["body"])
    annotation = AnnotationFactory(article=corpus["body"])
    annotation.tags.add(police)
    assert set(titles(editor_client, tags=[age.pk, police.pk])) == {
        "Ofcom sets out age checks",
        "Council budget approved",
    }
    assert titles(editor_client, tags=[age.pk, police.pk], tags_mode="all") == ["Council budget approved"]


def test_a_deleted_passage_tags_its_article_no_more_until_it_is_restored(editor_client, workspace, corpus):
    police = TagFactory(workspace=workspace, name="police")
    annotation = AnnotationFactory(article=corpus["body"])
    annotation.tags.add(police)
    assert titles(editor_client, tags=[police.pk]) == ["Council budget approved"]

    annotation.deleted_at = timezone.now()
    annotation.save(update_fields=["deleted_at"])
    assert titles(editor_client, tags=[police.pk]) == []

    annotation.deleted_at = None
    annotation.save(update_fields=["deleted_at"])
    assert titles(editor_client, tags=[police.pk]) == ["Council budget approved"]


def test_passages_follow_their_tag_into_a_merge(editor_client, workspace, corpus):
    police, policing = TagFactory(workspace=workspace, name="police"), TagFactory(workspace=workspace, name="policing")
    AnnotationFactory(article=corpus["police"]).tags.add(police)
    annotation_services.merge_tags(source=police, target=policing)
    assert titles(editor_client, tags=[policing.pk]) == ["Police units overstretched"]


def test_an_unknown_tag_id_is_reported_not_an_error(editor_client, corpus):
    response = editor_client.get(URL, {"tags": ["999999"]})
    assert response.status_code == 200
    assert "Tags:" in response.content.decode()


def test_filter_by_dossier(editor_client, workspace, corpus):
    dossier = DossierFactory(workspace=workspace)
    dossier_services.add_article(dossier=dossier, article=corpus["police"])
    assert titles(editor_client, dossier=dossier.pk) == ["Police units overstretched"]


def test_filter_by_author_and_publication_dates(editor_client, workspace):
    story(workspace, "Old", "Old story.", authors=["Maya Chen"], published_on=date(2025, 1, 5))
    story(workspace, "New", "New story.", authors=["Tom Okafor"], published_on=date(2026, 6, 1))
    assert titles(editor_client, author="chen") == ["Old"]
    assert titles(editor_client, published_after="2026-01-01") == ["New"]
    assert titles(editor_client, published_before="2025-12-31") == ["Old"]


def test_an_invalid_date_is_reported_and_ignored(editor_client, corpus):
    response = editor_client.get(URL, {"published_after": "31/31/2026"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 3
    assert "Enter a valid date" in response.content.decode()


def test_filter_by_state_and_annotations(editor_client, workspace, corpus):
    story(workspace, "Broken", "", status=Article.Status.FAILED)
    AnnotationFactory(article=corpus["police"])
    assert titles(editor_client, status="failed") == ["Broken"]
    assert titles(editor_client, annotated="true") == ["Police units overstretched"]


def test_near_duplicates_can_be_hidden(editor_client, workspace, corpus):
    copy = story(workspace, "Ofcom sets out age checks (agency copy)", "The regulator published its codes on Tuesday.")
    NearDuplicate.objects.create(article=corpus["title"], other=copy, score=0.95)
    assert "Ofcom sets out age checks (agency copy)" in titles(editor_client)
    assert "Ofcom sets out age checks (agency copy)" not in titles(editor_client, hide_near_duplicates="on")


def test_sorting_by_title_and_publication_date(editor_client, workspace):
    story(workspace, "Beta", "b", published_on=date(2026, 1, 1))
    story(workspace, "Alpha", "a", published_on=date(2026, 3, 1))
    assert titles(editor_client, order="title") == ["Alpha", "Beta"]
    assert titles(editor_client, order="-published") == ["Alpha", "Beta"]
    assert titles(editor_client, order="published") == ["Beta", "Alpha"]


def test_a_page_past_the_end_shows_the_last_page(editor_client, corpus):
    response = editor_client.get(URL, {"page": "99999"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 3


def test_search_page_opens_on_the_search_box(editor_client, corpus):
    page = editor_client.get(reverse("articles:search"), {"q": "police"}).content.decode()
    assert "autofocus" in page and "1 result for “police”" in page


def test_searching_runs_a_fixed_number_of_queries(editor_client, workspace, django_assert_max_num_queries):
    for n in range(30):
        story(workspace, f"Ofcom story {n}", f"Ofcom said something about item {n}.")
    with django_assert_max_num_queries(10):
        response = editor_client.get(URL, {"q": "ofcom"})
    assert len(response.context["page"].object_list) == 30


def test_a_search_matching_too_many_articles_is_sorted_newest_first(editor_client, workspace, settings):
    settings.SEARCH_RANK_LIMIT = 2
    for title in ["Ofcom first", "Ofcom second", "Ofcom third"]:
        story(workspace, title, "Ofcom said more.")
    response = editor_client.get(URL, {"q": "ofcom"})
    assert [a.title for a in response.context["page"].object_list] == ["Ofcom third", "Ofcom second", "Ofcom first"]
    assert "newest first" in response.content.decode()


def test_filter_by_tag_names_typed_in(editor_client, workspace, corpus):
    TagFactory(workspace=workspace, name="Age checks").articles.add(corpus["title"])
    assert titles(editor_client, tag_names="age CHECKS") == ["Ofcom sets out age checks"]
    assert titles(editor_client, tag_names="no such tag") == []


def test_the_filter_form_does_not_list_every_tag(editor_client, workspace, corpus):
    for n in range(30):
        TagFactory(workspace=workspace, name=f"theme {n}")
    assert "theme 29" not in editor_client.get(URL).content.decode()


def test_a_tag_link_shows_which_tag_is_filtered(editor_client, workspace, corpus):
    tag = TagFactory(workspace=workspace, name="age checks")
    tag.articles.add(corpus["title"])
    page = editor_client.get(URL, {"tags": tag.pk}).content.decode()
    assert "Tagged" in page and "age checks" in page


def test_more_filters_open_by_themselves_when_a_filter_is_set(editor_client, corpus):
    assert '<details class="more-filters" >' in editor_client.get(URL, {"q": "ofcom"}).content.decode()
    assert '<details class="more-filters" open>' in editor_client.get(URL, {"status": "ready"}).content.decode()


# --- Counting and paging a search that matches a great many articles ------------------------------


def lede(client, **params) -> str:
    tree = lxml_html.fromstring(client.get(URL, params).content.decode())
    return " ".join(tree.xpath("//p[@class='lede']")[0].text_content().split())


@pytest.fixture
def ofcom_stories(workspace):
    """Five matching stories, added one day apart (newest last)."""
    start = timezone.now() - timedelta(days=10)
    return [
        story(
            workspace, f"Ofcom story {n}", f"Ofcom said something about item {n}.", created_at=start + timedelta(days=n)
        )
        for n in range(5)
    ]


def test_past_the_count_limit_the_hits_are_not_given_as_an_exact_number(editor_client, ofcom_stories, monkeypatch):
    monkeypatch.setattr(search, "COUNT_LIMIT", 2)
    monkeypatch.setattr(search, "estimate_rows", lambda queryset: 0)  # no estimate (as on SQLite)
    assert lede(editor_client, q="ofcom") == "more than 2 results for “ofcom”"


def test_past_the_count_limit_the_databases_estimate_is_given_roughly(editor_client, ofcom_stories, monkeypatch):
    monkeypatch.setattr(search, "COUNT_LIMIT", 2)
    monkeypatch.setattr(search, "estimate_rows", lambda queryset: 83_412)
    assert lede(editor_client, q="ofcom") == "about 83,000 results for “ofcom”"


def test_within_the_count_limit_the_hits_are_exact(editor_client, ofcom_stories, monkeypatch):
    monkeypatch.setattr(search, "COUNT_LIMIT", 5)
    assert lede(editor_client, q="ofcom") == "5 results for “ofcom”"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row estimate")
def test_postgresql_estimates_the_rows_of_a_search(workspace, ofcom_stories):
    found = search.search(Article.objects.filter(workspace=workspace), "ofcom", workspace_id=workspace.pk)
    assert search.estimate_rows(found) > 0


@pytest.mark.parametrize(
    ("count", "exact", "cap", "wording"),
    [
        (1, True, 0, "1 result"),
        (1234, True, 0, "1,234 results"),
        (83_412, False, 1000, "about 83,000 results"),
        (1_501, False, 1000, "about 1,500 results"),
        (0, False, 1000, "more than 1,000 results"),
        (900, False, 1000, "more than 1,000 results"),  # an estimate below what was counted is not shown
    ],
)
def test_hit_count_wording(count, exact, cap, wording):
    assert HitCount(count, exact=exact, cap=cap).wording() == wording


def test_too_many_to_rank_is_decided_on_the_estimate(editor_client, ofcom_stories, monkeypatch, settings):
    settings.SEARCH_RANK_LIMIT = 1000
    monkeypatch.setattr(search, "COUNT_LIMIT", 2)
    monkeypatch.setattr(search, "estimate_rows", lambda queryset: 50_000)
    response = editor_client.get(URL, {"q": "ofcom"})
    assert [a.title for a in response.context["page"].object_list][:2] == ["Ofcom story 4", "Ofcom story 3"]
    assert "newest first" in response.content.decode()


def pagination(response) -> dict:
    nav = lxml_html.fromstring(response.content.decode()).xpath("//nav[@class='pagination']")
    if not nav:
        return {}
    return {
        "text": " ".join(nav[0].xpath("./span")[0].text_content().split()),
        "prev": nav[0].xpath("./a[@rel='prev']/@href"),
        "next": nav[0].xpath("./a[@rel='next']/@href"),
    }


def test_an_estimated_search_pages_on_until_the_last_match(editor_client, ofcom_stories, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    monkeypatch.setattr(search, "COUNT_LIMIT", 2)
    monkeypatch.setattr(search, "estimate_rows", lambda queryset: 0)
    params = {"q": "ofcom", "order": "-added"}
    first, last = editor_client.get(URL, params), editor_client.get(URL, {**params, "page": 3})
    assert titles(editor_client, **params) == ["Ofcom story 4", "Ofcom story 3"]
    assert pagination(first)["next"] == ["?q=ofcom&order=-added&page=2"]
    assert [a.title for a in last.context["page"].object_list] == ["Ofcom story 0"]
    assert pagination(last) == {"text": "Page 3", "prev": ["?q=ofcom&order=-added&page=2"], "next": []}


def test_a_page_past_an_estimated_end_says_so_and_links_back(editor_client, ofcom_stories, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    monkeypatch.setattr(search, "COUNT_LIMIT", 2)
    monkeypatch.setattr(search, "estimate_rows", lambda queryset: 40)
    response = editor_client.get(URL, {"q": "ofcom", "page": 9})
    page = response.content.decode()
    assert response.status_code == 200
    assert "No more results" in page and "?q=ofcom&amp;page=1" in page
    assert pagination(editor_client.get(URL, {"q": "ofcom"}))["text"] == "Page 1 of about 20"


@pytest.mark.parametrize("order", ["-added", "added", "-published", "published", "title"])
def test_each_page_holds_the_rows_of_that_place_in_the_order(editor_client, workspace, monkeypatch, order):
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    for n in range(8):  # two without a publication date, and ties on the date: the id decides
        published = date(2026, 1 + n % 3, 1) if n % 4 else None
        story(workspace, f"Story {n % 5:02}", "Text.", published_on=published)
    ordered = [a.pk for a in Article.objects.filter(workspace=workspace).order_by(*ORDERINGS[order])]
    pages = [editor_client.get(URL, {"order": order, "page": number}) for number in (1, 2, 3)]
    assert [a.pk for response in pages for a in response.context["page"].object_list] == ordered
    assert [len(response.context["page"].object_list) for response in pages] == [3, 3, 2]


@pytest.mark.parametrize("order", ["-added", "-published", "title"])
def test_a_few_thousand_estimated_matches_are_read_whole_and_paged_in_order(
    editor_client, workspace, monkeypatch, order
):
    """Past the count limit, an estimate within READ_WHOLE_AT_MOST: the ids are read without a limit."""
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    monkeypatch.setattr(search, "COUNT_LIMIT", 4)
    monkeypatch.setattr(search, "estimate_rows", lambda queryset: 9)
    for n in range(8):
        story(workspace, f"Story {n % 5:02}", "Text.", published_on=date(2026, 1 + n % 3, 1))
    story(workspace, "Not ready", "Text.", status=Article.Status.FAILED)
    ready = Article.objects.filter(workspace=workspace, status=Article.Status.READY)
    ordered = [a.pk for a in ready.order_by(*ORDERINGS[order])]
    with CaptureQueriesContext(connection) as queries:
        pages = [editor_client.get(URL, {"status": "ready", "order": order, "page": n}) for n in (1, 2, 3)]
    assert [a.pk for response in pages for a in response.context["page"].object_list] == ordered
    assert [response.context["page"].has_next() for response in pages] == [True, True, False]
    id_queries = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "articles_article"."id"')]
    assert any("ORDER BY" in sql and "LIMIT" not in sql for sql in id_queries)


def test_a_deep_page_costs_the_same_queries_as_the_first(editor_client, workspace, django_assert_max_num_queries):
    for n in range(120):
        story(workspace, f"Story {n}", "Text.")
    with CaptureQueriesContext(connection) as first:
        editor_client.get(URL)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = editor_client.get(URL, {"page": 3})
    assert len(response.context["page"].object_list) == 20


def test_the_snippet_marks_a_hit_deep_in_a_long_article(editor_client, workspace):
    filler = " ".join(f"word{n} filler text." for n in range(800))
    story(workspace, "Long read", f"{filler} The quillwort grows here. {filler}")
    page = editor_client.get(URL, {"q": "quillwort"}).content.decode()
    assert "<mark>quillwort</mark> grows here" in page


def test_the_snippet_marks_another_form_of_the_word(editor_client, workspace):
    filler = " ".join(f"word{n} filler text." for n in range(400))
    story(workspace, "Doubling", f"{filler} Reports of online abuse doubled, police chiefs said. {filler}")
    page = editor_client.get(URL, {"q": "doubling"}).content.decode()
    assert "<mark>doubled</mark>" in page


def test_the_dossier_filter_lists_the_workspaces_dossiers_escaped_with_the_chosen_one_selected(
    editor_client, workspace, other_workspace
):
    chosen = DossierFactory(workspace=workspace, title="Age <checks> & more")
    DossierFactory(workspace=workspace, title="Police")
    DossierFactory(workspace=other_workspace, title="Theirs")
    tree = lxml_html.fromstring(editor_client.get(URL, {"dossier": chosen.pk}).content.decode())
    options = tree.xpath("//select[@name='dossier']/option")
    assert [o.text for o in options] == ["---------", "Age <checks> & more", "Police"]
    assert [o.get("value") for o in options if o.get("selected") is not None] == [str(chosen.pk)]


def test_the_snippet_marks_a_form_of_the_word_that_does_not_start_like_it(editor_client, workspace):
    filler = " ".join(f"word{n} filler text." for n in range(400))
    story(workspace, "Mood", f"{filler} Residents were happy with the plan. {filler}")
    page = editor_client.get(URL, {"q": "happiness"}).content.decode()
    assert "<mark>happy</mark>" in page


def test_a_filter_most_articles_pass_is_counted_up_to_the_cap_too(editor_client, ofcom_stories, monkeypatch):
    monkeypatch.setattr(search, "COUNT_LIMIT", 2)
    monkeypatch.setattr(search, "estimate_rows", lambda queryset: 0)
    assert lede(editor_client, state="ready") == "more than 2 articles in Investigations desk"
    assert lede(editor_client) == "5 articles in Investigations desk"  # the whole list: an exact count


# --- Phrases through the word-pairs index (PostgreSQL) --------------------------------------

pg_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the word-pairs index is PostgreSQL's")


@pytest.fixture
def phrase_stories(workspace):
    for title, text, language, *standfirst in [
        ("Inquiry opens", "The public inquiry opened on Monday.", "en"),
        ("Inquiries announced", "Two public inquiries were announced.", "en"),
        ("Words apart", "The inquiry was not public.", "en"),
        ("Calls for a public", "The title and standfirst run on.", "en", "Inquiry into water"),
        ("Emergency lifted", "The state of emergency was lifted.", "en"),
        ("Emergency services", "The state emergency services were called.", "en"),
        ("A fact", "A well-known fact about water.", "en"),
        ("Said so", "Mr O'Brien said the plan works.", "en"),
        ("Enquête", "L'enquête publique a commencé lundi.", "fr"),
        ("Repeated", "Public public inquiry, he repeated.", "en"),
    ]:
        story(workspace, title, text, language=language, standfirst=" ".join(standfirst))


PHRASE_QUERIES = [
    '"public inquiry"',
    '"public inquiries"',
    "public inquiry",
    '"inquiry public"',
    '"state of emergency"',
    "well-known",
    '"well-known fact"',
    "o'brien said",
    '"o\'brien said"',
    '"enquête publique"',
    '"public inquiry" or water',
    '"public inquiry" -monday',
    '"public inquiry" "well-known fact"',
    '"public inquiry',
]


@pg_only
@pytest.mark.parametrize("query", PHRASE_QUERIES)
def test_phrases_find_what_the_tsquery_alone_finds(editor_client, phrase_stories, monkeypatch, query):
    through_pairs = sorted(titles(editor_client, q=query))
    monkeypatch.setattr(search, "MAY_HOLD_PHRASE", re.compile(r"(?!)"))  # never look for pairs
    assert through_pairs == sorted(titles(editor_client, q=query))


@pg_only
def test_a_phrase_finds_its_words_together_in_any_form_and_across_fields(editor_client, phrase_stories):
    found = set(titles(editor_client, q='"public inquiry"'))
    assert found == {"Inquiry opens", "Inquiries announced", "Calls for a public", "Repeated"}


@pg_only
def test_a_phrase_is_found_through_the_pairs_index(workspace, phrase_stories):
    matches = search.search(Article.objects.order_by(), '"public inquiry"', workspace_id=workspace.pk)
    with connection.cursor() as cursor:  # a table of ten rows would be read whole
        cursor.execute("SET LOCAL enable_seqscan = off")
    assert "articles_article_phrase_idx" in matches.explain()


@pg_only
def test_a_changed_text_changes_the_pairs_found(editor_client, workspace, phrase_stories):
    article = Article.objects.get(title="Words apart")
    article.text = "Now a public inquiry, at last."
    article.save(update_fields=["text"])
    assert "Words apart" in titles(editor_client, q='"public inquiry"')
    Article.objects.filter(title="Inquiry opens").update(text="Nothing to see.")
    assert "Inquiry opens" not in titles(editor_client, q='"public inquiry"')
