import factory
from django.utils import timezone

from annotations.models import Tag
from articles.models import Article
from dossiers.models import Dossier
from workspace.models import Membership, Role, User, Workspace

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"researcher{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@newsroom.test")
    first_name = "Alex"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class WorkspaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workspace

    name = factory.Sequence(lambda n: f"Investigations desk {n}")
    slug = factory.Sequence(lambda n: f"desk-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    workspace = factory.SubFactory(WorkspaceFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.EDITOR


STORY = (
    "Ofcom has published new codes of practice for online platforms.\n\n"
    "The regulator said sites popular with children must check the age of their users."
)


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    workspace = factory.SubFactory(WorkspaceFactory)
    kind = Article.Kind.PASTE
    status = Article.Status.READY
    title = factory.Sequence(lambda n: f"Regulator sets out child safety codes, part {n}")
    standfirst = "Platforms face fines if they fail to protect children."
    authors = factory.LazyFunction(lambda: ["Sam Reporter"])
    site_name = "The Daily Record"
    language = "en"
    text = STORY
    html = factory.LazyAttribute(lambda a: "".join(f"<p>{p}</p>" for p in a.text.split("\n\n")))
    word_count = factory.LazyAttribute(lambda a: len(a.text.split()))
    text_hash = factory.Sequence(lambda n: f"{n:064x}")
    cleaned_at = factory.LazyFunction(timezone.now)


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"theme {n}")


class DossierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dossier

    workspace = factory.SubFactory(WorkspaceFactory)
    title = "Online child safety"


class AnnotationFactory(factory.django.DjangoModelFactory):
    """A passage: the first sentence of the article's text."""

    class Meta:
        model = "annotations.Annotation"

    article = factory.SubFactory(ArticleFactory)
    workspace = factory.LazyAttribute(lambda a: a.article.workspace)
    start = 0
    end = factory.LazyAttribute(lambda a: a.article.text.index(".") + 1)
    exact = factory.LazyAttribute(lambda a: a.article.text[a.start : a.end])
    suffix = factory.LazyAttribute(lambda a: a.article.text[a.end : a.end + 32])
    note = "Key claim."
