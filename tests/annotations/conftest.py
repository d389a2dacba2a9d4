"""Fixtures for passages and notes: a realistic cleaned article and annotations on it."""

import factory
import pytest
from django.urls import reverse

from annotations import anchoring
from annotations.models import Annotation
from articles.cleaning import clean_document
from tests.factories import ArticleFactory, UserFactory, WorkspaceFactory

FLOOD_PAGE = """<html lang="en"><head><title>Council delays flood defence scheme | Harbour Gazette</title>
<meta property="og:site_name" content="Harbour Gazette"></head>
<body><nav><a href="/">Home</a><a href="/news">News</a></nav>
<article><h1>Council delays flood defence scheme</h1>
<p>The council has postponed work on the seafront flood defences until next spring, citing rising costs and a shortage of contractors.</p>
<p>Residents of the lower town, where <strong>more than 400 homes</strong> flooded in 2023, said they were <em>angry and frightened</em> by the decision.</p>
<p>The cabinet member for the environment said the scheme would cost £14m, almost twice the original estimate, and that the council could not sign a contract it could not afford.</p>
<p>The Environment Agency said it would review its own funding for the project in the autumn and urged the council to publish a new timetable.</p>
</article><footer>© Harbour Gazette</footer></body></html>"""


def cleaned(page: str, filename: str = "page.html"):
    return clean_document(page.encode(), filename=filename, content_type="text/html; charset=utf-8")


def span_of(text: str, passage: str, occurrence: int = 0) -> tuple[int, int]:
    """Code point offsets of the nth occurrence of `passage` in `text`."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(passage, start + 1)
    return start, start + len(passage)


def article_from_page(workspace, page: str, **extra):
    result = cleaned(page)
    return ArticleFactory(workspace=workspace, title=result.title, html=result.html, text=result.text, **extra)


@pytest.fixture
def ready_article(workspace):
    """A READY article of four paragraphs, its `html` and `text` made by the real cleaner."""
    return article_from_page(workspace, FLOOD_PAGE)


@pytest.fixture
def foreign_article(other_workspace):
    return article_from_page(other_workspace, FLOOD_PAGE)


class AnnotationFactory(factory.django.DjangoModelFactory):
    """A passage quoted from the article's text (pass `passage="…"`), or an article note (`passage=None`)."""

    class Meta:
        model = Annotation
        skip_postgeneration_save = True

    class Params:
        passage = None
        occurrence = 0

    article = factory.SubFactory(ArticleFactory, workspace=factory.SubFactory(WorkspaceFactory))
    workspace = factory.SelfAttribute("article.workspace")
    author = factory.SubFactory(UserFactory)
    note = ""

    @factory.lazy_attribute
    def start(self):
        return span_of(self.article.text, self.passage, self.occurrence)[0] if self.passage else None

    @factory.lazy_attribute
    def end(self):
        return span_of(self.article.text, self.passage, self.occurrence)[1] if self.passage else None

    @factory.lazy_attribute
    def exact(self):
        return anchoring.describe(self.article.text, self.start, self.end).exact if self.passage else ""

    @factory.lazy_attribute
    def prefix(self):
        return anchoring.describe(self.article.text, self.start, self.end).prefix if self.passage else ""

    @factory.lazy_attribute
    def suffix(self):
        return anchoring.describe(self.article.text, self.start, self.end).suffix if self.passage else ""

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.tags.set(extracted)


@pytest.fixture
def annotation_factory():
    return AnnotationFactory


def annotations_url(article) -> str:
    return reverse("annotations:api_article_annotations", args=[article.pk])


def annotation_url(annotation) -> str:
    pk = annotation if isinstance(annotation, int) else annotation.pk
    return reverse("annotations:api_annotation", args=[pk])


def restore_url(annotation) -> str:
    pk = annotation if isinstance(annotation, int) else annotation.pk
    return reverse("annotations:api_annotation_restore", args=[pk])


def reader_url(article) -> str:
    return reverse("reader", args=[article.pk])
