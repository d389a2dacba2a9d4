"""Ingestion services: what a researcher submits comes out clean, or failed with a reason, never lost."""

import hashlib
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from articles import search, services
from articles.cleaning import CleanedArticle, paragraph_key
from articles.models import Article, NearDuplicate, Source, SourceParagraph
from tests.factories import ArticleFactory, MembershipFactory

pytestmark = pytest.mark.django_db
Status = Article.Status

NEWS_PAGE = """<html lang="en"><head><title>Age checks start for adult sites | Harbour Gazette</title>
<meta name="description" content="Sites must now verify that visitors are adults.">
<meta name="author" content="Maya Chen"><meta property="og:site_name" content="Harbour Gazette">
<meta property="article:published_time" content="2026-07-25T06:00:00Z">
<link rel="canonical" href="https://harbour-gazette.example/news/age-checks"></head>
<body><nav><a href="/">Home</a><a href="/news">News</a></nav>
<article><h1>Age checks start for adult sites</h1>
<p>Websites showing pornography must check that visitors are adults from Friday, under rules enforced by the regulator.</p>
<p>The regulator said it had written to the largest sites to remind them of their duties, and would open investigations where they failed.</p>
<p>Privacy campaigners warned that age checks could expose the browsing habits of millions of adults.</p>
</article><aside>Sign up for our newsletter</aside></body></html>"""

WIRE_STORY = (
    "Ministers have announced a review of how social media companies handle reports of bullying, "
    "after a coroner found that a teenager's complaints were ignored for months. The review will "
    "look at response times, the training of moderators and whether platforms should publish the "
    "number of reports they receive each year. Campaign groups said the review was overdue and "
    "called for legal duties rather than voluntary codes. The industry body said its members "
    "already removed most bullying content within a day and would take part in the review."
)


def wire_page(site: str, headline: str) -> str:
    paragraphs = "".join(f"<p>{sentence.strip()}.</p>" for sentence in WIRE_STORY.split(". "))
    return (
        f"<html><head><title>{headline}</title><meta property='og:site_name' content='{site}'></head>"
        f"<body><nav>{site} Home World</nav><article><h1>{headline}</h1>{paragraphs}</article>"
        f"<footer>© {site}</footer></body></html>"
    )


@pytest.fixture
def member():
    return MembershipFactory()


@pytest.fixture
def submit(member, django_capture_on_commit_callbacks):
    """Submit like the view does, running the (eager) task after commit."""

    def submit_one(kind: str, payload, **extra):
        owner = {"workspace": member.workspace, "user": member.user}
        with django_capture_on_commit_callbacks(execute=True):
            if kind == "file":
                article = services.submit_file(file=payload, **owner, **extra)
            elif kind == "paste":
                article = services.submit_paste(text=payload, **owner, **extra)
            else:
                article = services.submit_urls(urls=[payload], **owner)[0]
        article.refresh_from_db()
        return article

    return submit_one


def html_file(name: str, body: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body.encode(), content_type="text/html")


def test_uploaded_page_becomes_a_clean_article_with_its_metadata(submit):
    article = submit("file", html_file("age-checks.html", NEWS_PAGE))
    assert article.status == Status.READY, article.last_error
    assert article.title == "Age checks start for adult sites"
    assert article.standfirst == "Sites must now verify that visitors are adults."
    assert article.authors == ["Maya Chen"]
    assert article.published_on.isoformat() == "2026-07-25"
    assert article.site_name == "Harbour Gazette"
    assert article.canonical_url == "https://harbour-gazette.example/news/age-checks"
    assert article.language == "en"
    assert "must check that visitors are adults" in article.text
    assert "newsletter" not in article.text and "Home" not in article.text
    assert article.word_count == len(article.text.split())


def test_original_is_stored_exactly_as_received(submit):
    article = submit("file", html_file("../../etc/passwd\x07.html", NEWS_PAGE))
    original = article.originals.get()
    with original.file.open("rb") as stored:
        assert stored.read() == NEWS_PAGE.encode()
    assert original.sha256 == hashlib.sha256(NEWS_PAGE.encode()).hexdigest()
    assert original.size == len(NEWS_PAGE.encode())
    assert original.filename == "passwd.html"


def test_pasted_text_loses_a_donation_appeal_glued_to_the_story(submit):
    text = (
        "Schools to teach online safety\n\n"
        "Your support helps us keep reporting on the issues that matter. Donate today.Every secondary "
        "school in England will teach pupils about online safety from September, the Department for "
        "Education said on Monday."
    )
    article = submit("paste", text)
    assert article.status == Status.READY
    assert article.text.startswith("Every secondary school")
    assert "Donate" not in article.text


def test_a_file_that_is_not_an_article_fails_with_a_reason_and_is_kept(submit):
    article = submit("file", SimpleUploadedFile("story.html", bytes(range(256)) * 40, content_type="text/html"))
    assert article.status == Status.FAILED
    assert article.last_error  # a sentence for the researcher
    assert "Traceback" not in article.last_error
    assert article.originals.get().size == 256 * 40


def test_an_empty_file_fails_with_a_reason(submit):
    article = submit("file", SimpleUploadedFile("empty.txt", b"", content_type="text/plain"))
    assert article.status == Status.FAILED
    assert "empty" in article.last_error.lower()
    assert article.originals.count() == 1


def test_the_same_story_twice_is_stored_once(submit):
    first = submit("file", html_file("a.html", NEWS_PAGE))
    second = submit("paste", NEWS_PAGE.replace("Sign up for our newsletter", "Follow us on social media"))
    assert second.status == Status.DUPLICATE
    assert second.duplicate_of == first
    assert second.text == "" and second.html == ""
    assert Article.objects.filter(status=Status.READY).count() == 1
    assert second.originals.count() == 1  # what was sent is still kept


def test_an_agency_story_on_two_sites_is_linked_as_near_duplicate(submit):
    first = submit("paste", wire_page("Harbour Gazette", "Review of bullying reports announced"))
    second = submit("paste", wire_page("Valley Times", "Social media firms face bullying review"))
    assert second.status == Status.READY
    assert services.near_duplicates_of(first) == [second]
    assert services.near_duplicates_of(second) == [first]


def test_different_stories_are_not_near_duplicates(submit):
    submit("paste", wire_page("Harbour Gazette", "Review of bullying reports announced"))
    submit("file", html_file("age.html", NEWS_PAGE))
    assert not NearDuplicate.objects.exists()


def test_a_linked_url_is_fetched_and_cleaned(submit, local_site, settings):
    settings.FETCH_ALLOW_LOOPBACK = True
    url = local_site.add("/news/age-checks", NEWS_PAGE)
    start = local_site.redirect("/go", url)
    article = submit("url", start)
    assert article.status == Status.READY, article.last_error
    original = article.originals.get()
    assert original.url == start and original.final_url == url
    assert original.http_status == 200
    assert original.headers["content-type"].startswith("text/html")
    assert original.fetched_at is not None


def test_a_private_address_is_refused_without_being_fetched(submit, local_site):
    url = local_site.add("/internal", NEWS_PAGE)
    article = submit("url", url)
    assert article.status == Status.FAILED
    assert "127.0.0.1" in article.last_error
    assert local_site.hits == []
    assert article.originals.count() == 0


def test_a_missing_page_fails_with_the_sites_answer(submit, local_site, settings):
    settings.FETCH_ALLOW_LOOPBACK = True
    article = submit("url", local_site.url("/gone"))
    assert article.status == Status.FAILED
    assert "404" in article.last_error


def test_a_failing_site_is_retried_then_given_up_with_a_reason(submit, local_site, settings):
    settings.FETCH_ALLOW_LOOPBACK = True
    url = local_site.add("/busy", "busy", status=503)
    article = submit("url", url)
    assert len(local_site.hits) == 6  # the first try and five retries
    assert article.status == Status.FAILED
    assert "503" in article.last_error


def test_processing_a_ready_article_again_is_a_no_op(article):
    before = article.html
    services.process_article(article_id=article.pk)
    article.refresh_from_db()
    assert article.status == Status.READY and article.html == before


def test_processing_a_deleted_article_returns_quietly(db):
    services.process_article(article_id=987654)


def test_an_article_left_cleaning_by_a_dead_worker_is_claimed_again(member, settings, claimed_article):
    article = ArticleFactory(workspace=member.workspace, status=Status.CLEANING)
    assert claimed_article(article.pk) is None  # another worker may still be on it
    long_ago = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120)
    Article.objects.filter(pk=article.pk).update(status_changed_at=long_ago)
    assert claimed_article(article.pk).pk == article.pk


def test_sweep_resends_queued_articles_the_broker_never_got(member, settings, django_capture_on_commit_callbacks):
    article = ArticleFactory(workspace=member.workspace, status=Status.QUEUED, text_hash="")
    services.store_original(
        article=article,
        file=SimpleUploadedFile("a.html", NEWS_PAGE.encode()),
        filename="a.html",
        content_type="text/html",
    )
    assert services.requeue_stale() == 0  # not stale yet
    long_ago = timezone.now() - timedelta(minutes=settings.QUEUED_RESEND_MINUTES + 1)
    Article.objects.filter(pk=article.pk).update(status_changed_at=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.requeue_stale() == 1
    article.refresh_from_db()
    assert article.status == Status.READY


def test_upload_is_kept_queued_when_the_broker_is_down(member, monkeypatch, django_capture_on_commit_callbacks):
    from articles.tasks import process_article

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("broker unreachable")

    monkeypatch.setattr(process_article, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        article = services.submit_paste(workspace=member.workspace, user=member.user, text=WIRE_STORY)
    article.refresh_from_db()
    assert article.status == Status.QUEUED
    assert article.originals.count() == 1


def test_reprocessing_recleans_from_the_stored_original(submit, django_capture_on_commit_callbacks):
    article = submit("file", html_file("a.html", NEWS_PAGE))
    Article.objects.filter(pk=article.pk).update(title="Edited by mistake", html="")
    with django_capture_on_commit_callbacks(execute=True):
        services.requeue(article=article)
    article.refresh_from_db()
    assert article.status == Status.READY
    assert article.title == "Age checks start for adult sites"
    assert article.originals.count() == 1


def test_a_paragraph_recurring_across_a_sites_articles_is_learnt_as_boilerplate(submit, settings):
    settings.BOILERPLATE_MIN_ARTICLES = 3
    chrome = "Harbour Gazette is owned by the Harbour Trust and edited in Portsmouth since 1887."
    stories = [
        "The council approved a new cycle lane on the seafront after a two-year consultation.",
        "Ferry services were cancelled on Tuesday as storms brought winds of up to 80mph.",
        "A new primary school will open in September after delays caused by flooding.",
        "Fishermen protested at the harbour against quotas set by the government this week.",
    ]
    articles = []
    for n, story in enumerate(stories):
        page = (
            "<html><head><link rel='canonical' href='https://harbour-gazette.example/news/"
            f"{n}'><title>Story {n}</title></head><body><article><h1>Story {n}</h1>"
            f"<p>{story} {story}</p><p>{chrome}</p></article></body></html>"
        )
        articles.append(submit("paste", page))
    assert chrome in articles[0].text  # not yet known
    learnt = SourceParagraph.objects.get(example__startswith="Harbour Gazette is owned")
    assert learnt.article_count >= 3
    assert chrome not in articles[-1].text
    assert stories[-1] in articles[-1].text


def test_learning_counts_each_paragraph_once_per_article(member):
    source = Source.objects.create(workspace=member.workspace, domain="harbour-gazette.example")
    services.learn_paragraphs(source, ["Owned by the Harbour Trust.", "Owned by the Harbour Trust.", "A story."])
    services.learn_paragraphs(source, ["Owned by the Harbour Trust.", "Another story."])
    counts = dict(SourceParagraph.objects.filter(source=source).values_list("example", "article_count"))
    assert counts == {"Owned by the Harbour Trust.": 2, "A story.": 1, "Another story.": 1}


def test_a_claimed_upload_is_cleaning_and_a_claimed_link_is_fetching(member, claimed_article):
    upload = services.submit_paste(workspace=member.workspace, user=member.user, text=WIRE_STORY)
    link = services.submit_urls(workspace=member.workspace, user=member.user, urls=["https://example.com/a"])[0]
    assert claimed_article(upload.pk).status == Status.CLEANING
    assert claimed_article(link.pk).status == Status.FETCHING


def test_a_fetched_link_is_recleaned_from_its_original_without_fetching_again(
    submit, local_site, settings, django_capture_on_commit_callbacks
):
    settings.FETCH_ALLOW_LOOPBACK = True
    article = submit("url", local_site.add("/news/age-checks", NEWS_PAGE))
    Article.objects.filter(pk=article.pk).update(title="Edited by mistake")
    with django_capture_on_commit_callbacks(execute=True):
        services.requeue(article=article)
    article.refresh_from_db()
    assert article.status == Status.READY
    assert article.title == "Age checks start for adult sites"
    assert len(local_site.hits) == 1 and article.originals.count() == 1


def test_processing_an_upload_takes_a_fixed_number_of_queries(member, django_assert_num_queries):
    article = services.submit_file(
        workspace=member.workspace, user=member.user, file=html_file("age-checks.html", NEWS_PAGE)
    )
    # Claim, read it with its original, learnt boilerplate; then one transaction (a savepoint in a test):
    # the new site (read, then created in a savepoint), the article (in a savepoint: the duplicate check),
    # its paragraphs, near-duplicate candidates and bands. Before: 18.
    with django_assert_num_queries(15):
        services.process_article(article_id=article.pk)
    article.refresh_from_db()
    assert article.status == Status.READY


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's FTS5 stems English whatever the language")
def test_a_text_upload_is_searched_with_the_word_forms_of_its_language(submit):
    """A text file declares no language: it is found by other forms of its words all the same."""
    story = "The public inquiry heard evidence from residents for three days. " * 5
    article = submit("file", SimpleUploadedFile("inquiry.txt", story.encode(), content_type="text/plain"))
    assert article.language == "en"
    found = search.search(Article.objects.filter(pk=article.pk), "inquiries residents' evidences")
    assert list(found) == [article]


# --- Pasting from a browser, the link to the original, restoring removed lines ------------------

# What a browser puts on the clipboard for a story selected on its page: markup and plain text.
CLIPBOARD_HTML = (
    "<meta charset='utf-8'><h1 style=\"font-size: 2em\">Council delays flood defence scheme</h1>"
    '<p style="margin: 0">The council has postponed work on the seafront flood defences until next spring, '
    "citing rising costs and a shortage of contractors.</p><h2>Residents angry</h2>"
    "<p>Residents of the lower town, where more than 400 homes flooded in 2023, wrote to the council "
    "to ask for a new timetable.</p><p>Sign up for our newsletter.</p>"
)
CLIPBOARD_TEXT = (
    "Council delays flood defence scheme\n\nThe council has postponed work on the seafront flood defences "
    "until next spring, citing rising costs and a shortage of contractors.\n\nResidents angry\n\n"
    "Residents of the lower town, where more than 400 homes flooded in 2023, wrote to the council to ask "
    "for a new timetable.\n\nSign up for our newsletter."
)
APPEAL = "Sign up for our newsletter."


def test_a_paste_with_the_pages_markup_keeps_both_and_is_cleaned_from_the_markup(submit):
    article = submit("paste", CLIPBOARD_TEXT, html=CLIPBOARD_HTML)
    assert article.status == Status.READY, article.last_error
    text_original, html_original = article.originals.order_by("pk")
    assert (text_original.filename, text_original.content_type) == ("pasted.txt", "text/plain; charset=utf-8")
    assert (html_original.filename, html_original.content_type) == ("pasted.html", "text/html; charset=utf-8")
    with html_original.file.open("rb") as stored:
        assert stored.read() == CLIPBOARD_HTML.encode()
    assert "<h2>Residents angry</h2>" in article.html
    assert "<p>The council has postponed work" in article.html
    assert APPEAL not in article.text


def test_clipboard_markup_holding_no_text_is_ignored(submit):
    article = submit("paste", CLIPBOARD_TEXT, html="<meta charset='utf-8'><span> </span>")
    assert article.status == Status.READY
    assert article.originals.get().filename == "pasted.txt"


def test_html_source_pasted_into_the_box_is_the_page_whatever_the_clipboard_says(submit):
    article = submit("paste", NEWS_PAGE, html="<pre>&lt;html lang=&quot;en&quot;&gt;…</pre>")
    assert article.status == Status.READY
    assert article.originals.get().filename == "pasted.html"
    assert article.title == "Age checks start for adult sites"


def test_a_paste_whose_markup_cannot_be_cleaned_is_cleaned_from_its_text(submit):
    article = submit("paste", CLIPBOARD_TEXT, html=f"<p>{APPEAL}</p>")
    assert article.status == Status.READY, article.last_error
    assert "Residents of the lower town" in article.text
    assert article.originals.count() == 2  # both kept as received


def test_the_link_to_the_original_gives_a_paste_its_site_and_link_without_being_fetched(submit, local_site, settings):
    settings.FETCH_ALLOW_LOOPBACK = True  # it would be reachable: it is still never fetched
    url = local_site.add("/news/flood-defences", NEWS_PAGE)
    article = submit("paste", CLIPBOARD_TEXT, html=CLIPBOARD_HTML, source_url=url)
    assert article.status == Status.READY, article.last_error
    assert article.submitted_url == url and article.canonical_url == url
    assert article.source.domain == "127.0.0.1"
    assert {o.url for o in article.originals.all()} == {url}
    assert local_site.hits == []


def test_a_pasted_article_with_a_link_is_claimed_for_cleaning_not_fetching(member, claimed_article):
    article = services.submit_paste(
        workspace=member.workspace, user=member.user, text=WIRE_STORY, source_url="https://example.com/a"
    )
    assert claimed_article(article.pk).status == Status.CLEANING


def test_the_removed_lines_are_kept_on_the_article_with_their_keys(submit):
    article = submit("paste", CLIPBOARD_TEXT, html=CLIPBOARD_HTML)
    assert article.removed_lines == [{"key": paragraph_key(APPEAL), "text": APPEAL}]


def test_removed_lines_are_listed_once_each_and_bounded(settings):
    lines = [APPEAL, APPEAL, "x" * 5_000, *(f"Advert {n}" for n in range(300))]
    cleaned = CleanedArticle("", "", [], None, "", "", "", "", "", "", [], removed_boilerplate=lines)
    removed = services.removed_lines(cleaned)
    assert len(removed) == services.REMOVED_LINES_SHOWN
    assert [line["text"] for line in removed[:2]] == [APPEAL, "x" * services.REMOVED_LINE_CHARS]
    assert removed[1]["key"] == paragraph_key("x" * 5_000)  # the whole line's: restored whole


def restore(article, line: str, capture):
    with capture(execute=True):
        services.restore_line(article=article, key=paragraph_key(line), example=line)
    article.refresh_from_db()
    return article


def test_a_restored_line_comes_back_when_the_article_is_cleaned_again(submit, django_capture_on_commit_callbacks):
    article = submit("paste", CLIPBOARD_TEXT, html=CLIPBOARD_HTML)
    article = restore(article, APPEAL, django_capture_on_commit_callbacks)
    assert article.status == Status.READY
    assert APPEAL in article.text
    assert article.removed_lines == []
    assert article.kept_lines == [paragraph_key(APPEAL)]


def test_a_line_restored_on_one_article_stays_in_the_sites_later_articles(submit, django_capture_on_commit_callbacks):
    first = submit("paste", CLIPBOARD_TEXT, html=CLIPBOARD_HTML, source_url="https://harbour.example/news/1")
    restore(first, APPEAL, django_capture_on_commit_callbacks)
    assert SourceParagraph.objects.get(source=first.source, key=paragraph_key(APPEAL)).kept

    later = CLIPBOARD_HTML.replace("flood defences", "sea wall")
    second = submit("paste", CLIPBOARD_TEXT, html=later, source_url="https://www.harbour.example/news/2")
    assert second.source == first.source
    assert APPEAL in second.text
    elsewhere = submit("paste", CLIPBOARD_TEXT, html=later, source_url="https://valley.example/news/2")
    assert APPEAL not in elsewhere.text


def test_a_line_restored_on_a_site_is_never_its_learnt_boilerplate(member, settings):
    settings.BOILERPLATE_MIN_ARTICLES = 2
    source = Source.objects.create(workspace=member.workspace, domain="harbour.example")
    services.learn_paragraphs(source, ["Owned by the Harbour Trust.", "Printed in Portsmouth."])
    services.learn_paragraphs(source, ["Owned by the Harbour Trust.", "Printed in Portsmouth."])
    SourceParagraph.objects.filter(example="Printed in Portsmouth.").update(kept=True)
    learnt, kept = services.site_paragraphs(member.workspace.pk, "harbour.example")
    assert learnt == {paragraph_key("Owned by the Harbour Trust.")}
    assert kept == {paragraph_key("Printed in Portsmouth.")}


COPIED_NEWS_PAGE = "\n".join(
    [
        "Home",
        "News",
        "Age checks start for adult sites",
        "By Maya Chen",
        "Websites showing pornography must check that visitors are adults from Friday, under rules enforced by the regulator.",
        "The regulator said it had written to the largest sites to remind them of their duties, and would open investigations where they failed.",
        "Privacy campaigners warned that age checks could expose the browsing habits of millions of adults.",
        "Sign up for our newsletter",
    ]
)


def test_a_copied_story_pasted_as_text_is_linked_to_the_same_story_uploaded_as_a_page(submit):
    pasted = submit("paste", COPIED_NEWS_PAGE)
    page = submit("file", html_file("age-checks.html", NEWS_PAGE))
    assert pasted.title == "Age checks start for adult sites"
    assert pasted.text == page.text
    assert services.near_duplicates_of(page) == [pasted]


def test_a_paste_with_the_story_link_is_a_duplicate_of_the_page_already_uploaded(submit):
    page = submit("file", html_file("age-checks.html", NEWS_PAGE))
    pasted = submit("paste", COPIED_NEWS_PAGE, source_url="https://harbour-gazette.example/news/age-checks")
    assert pasted.status == Status.DUPLICATE
    assert pasted.duplicate_of == page
