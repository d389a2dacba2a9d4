"""Access: every URL of the app, as anonymous, as a member of another workspace, as a viewer, as an editor.

`TABLE` holds one row per (route, method, variant) with the status each role must get. A test
fails if a named route of ours is missing from it, so a new route has to be added here.

- anonymous: a page sends to sign-in (`LOGIN`); the JSON API answers 401.
- outsider (the owner of ANOTHER workspace): 404 for anything naming an object of the workspace
  under test; pages of "the current workspace" answer for the outsider's own workspace.
- viewer: reads (200), changes nothing (403).
- editor: what editors may do; 403 for what only owners may do (members, workspace settings).

Every object of the workspace carries a marker (`secret-7f3a-…`): no response to the outsider may
contain one, and no refused request (nor any request of the outsider) may change the workspace
(while the editor's permitted changes must). Every state-changing row is also sent without a CSRF
token (403), and an editor naming another workspace's objects through their own gets nothing.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.test import Client
from django.test.client import ClientHandler
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from annotations import services as annotation_services
from annotations.models import Annotation, SavedSearch, Tag
from articles import services as article_services
from articles.models import Article, Original
from dossiers import services as dossier_services
from dossiers.models import Dossier, DossierArticle, DossierPassage, DossierSection
from tests.factories import ArticleFactory, MembershipFactory, UserFactory
from workspace.models import Invitation, Membership, Role, Workspace

pytestmark = pytest.mark.django_db

MARKER = "secret-7f3a"
MARKER_RE = re.compile(rf"{MARKER}[\w-]*", re.IGNORECASE)

PAGE = f"""<html lang="en"><head><title>{MARKER}-title: council delays flood defence scheme</title></head>
<body><nav><a href="/">Home</a></nav>
<article><h1>{MARKER}-title: council delays flood defence scheme</h1>
<p>The council has postponed work on the seafront flood defences until next spring, citing rising costs and a shortage of contractors.</p>
<p>Residents of the lower town, where more than 400 homes flooded in 2023, called it {MARKER}-quote in a letter to the council.</p>
<p>The cabinet member for the environment said the scheme would cost £14m, almost twice the original estimate, {MARKER}-body.</p>
<p>The Environment Agency said it would review its own funding for the project in the autumn and urged the council to publish a new timetable.</p>
<p>Sign up for our newsletter.</p>
</article><footer>© Harbour Gazette</footer></body></html>"""

QUOTE = f"called it {MARKER}-quote in a letter to the council."
OTHER_QUOTE = "The Environment Agency said it would review its own funding"


def span(text: str, passage: str) -> tuple[int, int]:
    start = text.index(passage)
    return start, start + len(passage)


@pytest.fixture
def world(workspace, other_workspace, owner_client, editor_client, django_capture_on_commit_callbacks):
    """One of every object a URL can name, in the workspace under test, each with a marker."""
    workspace.name = f"{MARKER}-workspace"
    workspace.save(update_fields=["name"])
    owner, editor = owner_client.user, editor_client.user
    with django_capture_on_commit_callbacks(execute=True):
        article = article_services.submit_paste(workspace=workspace, user=editor, text=PAGE)
    article.refresh_from_db()
    assert article.status == Article.Status.READY, article.last_error
    assert article.originals.exists()
    assert MARKER in article.title

    start, end = span(article.text, QUOTE)
    annotation = annotation_services.create_annotation(
        article=article,
        user=editor,
        start=start,
        end=end,
        exact=QUOTE,
        note=f"{MARKER}-note",
        tag_names=[f"{MARKER}-tag"],
    )
    start, end = span(article.text, OTHER_QUOTE)
    owners_annotation = annotation_services.create_annotation(
        article=article, user=owner, start=start, end=end, exact=OTHER_QUOTE, note=f"{MARKER}-owner-note"
    )
    deleted_annotation = annotation_services.create_annotation(article=article, user=editor, note=f"{MARKER}-deleted")
    annotation_services.delete_annotation(annotation=deleted_annotation)
    tag = Tag.objects.get(workspace=workspace, name=f"{MARKER}-tag")
    tag.articles.add(article)

    dossier = dossier_services.create_dossier(
        workspace=workspace, user=editor, title=f"{MARKER}-dossier", description=f"{MARKER}-description"
    )
    section = dossier_services.create_section(dossier=dossier, title=f"{MARKER}-section", note=f"{MARKER}-section-note")
    pin, _ = dossier_services.pin_passage(dossier=dossier, annotation=annotation, section=section, note=f"{MARKER}-pin")
    story = DossierArticle.objects.get(dossier=dossier, article=article)
    dossier_services.set_article_note(item=story, note=f"{MARKER}-story-note")

    member = MembershipFactory(
        workspace=workspace, role=Role.EDITOR, user=UserFactory(username=f"{MARKER}-member", first_name="Kim")
    )
    saved = SavedSearch.objects.create(
        workspace=workspace, user=editor, name=f"{MARKER}-saved", kind=SavedSearch.Kind.ARTICLES, query_string="q=7f3a"
    )
    second_dossier = dossier_services.create_dossier(workspace=workspace, user=editor, title=f"{MARKER}-second")
    invitation = Invitation.objects.create(
        workspace=workspace, email=f"{MARKER}-invitee@newsroom.test", role=Role.EDITOR, invited_by=owner
    )
    # The outsider's own workspace has content too, so its lists are not trivially empty.
    ArticleFactory(workspace=other_workspace, title="Stadium plans approved")
    return SimpleNamespace(
        workspace=workspace,
        article=article,
        annotation=Annotation.objects.get(pk=annotation.pk),
        owners_annotation=owners_annotation,
        deleted_annotation=deleted_annotation,
        tag=tag,
        dossier=dossier,
        second_dossier=second_dossier,
        section=section,
        pin=pin,
        story=story,
        member=member,
        saved=saved,
        invitation=invitation,
    )


# Loading the middleware chain (WhiteNoise scans the static files) costs more than a request:
# the clients of these few hundred tests share one loaded handler (cookies stay per client).
HANDLERS: dict[bool, ClientHandler] = {}


def shared_handler(client: Client, *, enforce_csrf_checks: bool = False) -> Client:
    client.handler = HANDLERS.setdefault(enforce_csrf_checks, ClientHandler(enforce_csrf_checks))
    return client


def client_for(request, role: str) -> Client:
    """The role's client: `client` (anonymous) or one of the role clients of tests/conftest.py."""
    return shared_handler(Client() if role == "anonymous" else request.getfixturevalue(f"{role}_client"))


def workspace_state(workspace: Workspace) -> dict:
    """Every row of the workspace under test (and every row pointing into it)."""
    ws = workspace
    annotations = Annotation.objects.filter(Q(workspace=ws) | Q(article__workspace=ws))
    return {
        name: list(queryset.order_by("pk").values())
        for name, queryset in {
            "workspace": Workspace.objects.filter(pk=ws.pk),
            "memberships": Membership.objects.filter(workspace=ws),
            "invitations": Invitation.objects.filter(workspace=ws),
            "articles": Article.objects.filter(workspace=ws),
            "originals": Original.objects.filter(article__workspace=ws),
            "tags": Tag.objects.filter(workspace=ws),
            "tag_articles": Tag.articles.through.objects.filter(Q(tag__workspace=ws) | Q(article__workspace=ws)),
            "annotations": annotations,
            "annotation_tags": Annotation.tags.through.objects.filter(annotation__in=annotations),
            "dossiers": Dossier.objects.filter(workspace=ws),
            "stories": DossierArticle.objects.filter(Q(dossier__workspace=ws) | Q(article__workspace=ws)),
            "sections": DossierSection.objects.filter(dossier__workspace=ws),
            "pins": DossierPassage.objects.filter(Q(dossier__workspace=ws) | Q(annotation__in=annotations)),
            "saved_searches": SavedSearch.objects.filter(workspace=ws),
        }.items()
    }


# --- The table -------------------------------------------------------------------------------

LOGIN = "login"  # 302 to the sign-in page
ROLES = ("anonymous", "outsider", "viewer", "editor")
DENIED = {LOGIN, 401, 403, 404, 405}
# Routes whose changes are the user's or the session's, not the workspace's.
NOT_WORKSPACE_STATE = {"login", "logout", "password_change", "switch_workspace"}
# An existing member who opens someone else's invitation is told so; the invitation stays open.
MEMBER_LEAVES_UNCHANGED = {"invitation_accept"}


def pk(name: str) -> Callable:
    return lambda w: getattr(w, name).pk


@dataclass(frozen=True)
class Row:
    name: str
    kwargs: dict[str, Callable] = field(default_factory=dict)
    method: str = "GET"
    data: Callable | dict | None = None
    anonymous: int | str = LOGIN
    outsider: int | str = 404
    viewer: int | str = 200
    editor: int | str = 200
    variant: str = ""
    json: bool = False  # a JSON body (the reader's API)
    shows_marker: tuple[str, ...] = ()  # roles that must see a marker: the leak check is not vacuous
    outsider_may_change: bool = False  # the one exception: an invitation link is a bearer token
    leak_check: bool = True

    @property
    def id(self) -> str:
        return f"{self.method} {self.name}{f' [{self.variant}]' if self.variant else ''}"

    def url(self, w) -> str:
        return reverse(self.name, kwargs={key: make(w) for key, make in self.kwargs.items()})

    def payload(self, w):
        return self.data(w) if callable(self.data) else self.data


MEMBERS_SEE = ("viewer", "editor")
ARTICLE = {"pk": pk("article")}
DOSSIER = {"pk": pk("dossier")}
ANNOTATION = {"pk": pk("annotation")}


def new_passage(w) -> dict:
    start, end = span(w.article.text, "The council has postponed work")
    return {"start": start, "end": end, "exact": w.article.text[start:end], "note": "A new passage."}


def w3c_file(w) -> dict:
    """An annotation whose target is the reader URL of the workspace's article."""
    item = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "urn:uuid:8d0c3b52-0a55-4b0c-9a0e-6f5bb0a5c001",
        "type": "Annotation",
        "body": {"type": "TextualBody", "value": "Imported note."},
        "target": {
            "source": f"http://testserver{reverse('reader', args=[w.article.pk])}",
            "selector": {"type": "TextQuoteSelector", "exact": "The council has postponed work"},
        },
    }
    return {"file": SimpleUploadedFile("notes.jsonld", json.dumps(item).encode(), "application/ld+json")}


def post_only(name: str, kwargs=None, *, outsider=405, viewer=403, editor=405, anonymous=LOGIN) -> Row:
    """The GET of a POST-only action: refused before anything is looked up."""
    return Row(name, kwargs or {}, anonymous=anonymous, outsider=outsider, viewer=viewer, editor=editor)


TABLE: list[Row] = [
    # --- accounts and the workspace --------------------------------------------------------------
    Row("home", outsider=302, viewer=302, editor=302),
    Row("login", anonymous=200, outsider=302, viewer=302, editor=302),
    Row(
        "login",
        method="POST",
        data={"username": "nobody", "password": "wrong"},
        anonymous=200,
        outsider=302,
        viewer=302,
        editor=302,
    ),
    Row("logout", anonymous=405, outsider=405, viewer=405, editor=405),
    Row("logout", method="POST", anonymous=LOGIN, outsider=302, viewer=302, editor=302),
    Row("password_change", outsider=200),
    Row(
        "password_change",
        method="POST",
        data={"old_password": "wrong", "new_password1": "x7!long-enough-pw", "new_password2": "x7!long-enough-pw"},
        outsider=200,
    ),
    Row("password_change_done", outsider=200),
    post_only("switch_workspace", outsider=405, viewer=405, editor=405),
    Row("switch_workspace", method="POST", data=lambda w: {"workspace": w.workspace.pk}, viewer=302, editor=302),
    Row("members", outsider=200, shows_marker=MEMBERS_SEE),
    Row(
        "members",
        method="POST",
        variant="invite",
        data={"email": "newcomer@newsroom.test", "role": Role.EDITOR},
        outsider=302,  # invites into the outsider's own workspace
        viewer=403,
        editor=403,
    ),
    Row("data", outsider=200),
    post_only("workspace_settings", outsider=405, viewer=403, editor=403),
    Row(
        "workspace_settings",
        method="POST",
        data={"editors_can_change_others": "on"},
        outsider=302,  # the outsider's own workspace
        viewer=403,
        editor=403,
    ),
    post_only("member_update", {"pk": pk("member")}, outsider=405, viewer=403, editor=403),
    Row("member_update", {"pk": pk("member")}, method="POST", data={"role": Role.VIEWER}, viewer=403, editor=403),
    Row(
        "member_update",
        {"pk": pk("member")},
        method="POST",
        variant="remove",
        data={"remove": "1"},
        viewer=403,
        editor=403,
    ),
    # The invitation link is a bearer token: whoever holds it sees the invitation and may join.
    Row(
        "invitation_accept",
        {"token": lambda w: w.invitation.token},
        anonymous=200,
        outsider=200,
        leak_check=False,
    ),
    Row(
        "invitation_accept",
        {"token": lambda w: w.invitation.token},
        method="POST",
        data={"username": "newcomer", "password1": "x7!long-enough-pw", "password2": "x7!long-enough-pw"},
        anonymous=302,
        outsider=302,
        viewer=302,
        editor=302,
        outsider_may_change=True,
        leak_check=False,
    ),
    # --- articles ----------------------------------------------------------------------------------
    Row("reader", ARTICLE, shows_marker=MEMBERS_SEE),
    Row("articles:list", outsider=200, shows_marker=MEMBERS_SEE),
    Row("articles:search", data={"q": "7f3a"}, outsider=200, shows_marker=MEMBERS_SEE),
    Row("articles:add", outsider=200, viewer=403),
    Row(
        "articles:add",
        method="POST",
        data={"text": "A short story about regulators and platforms."},
        outsider=302,  # added to the outsider's own workspace
        viewer=403,
        editor=302,
    ),
    Row(
        "articles:rows_hx",
        data=lambda w: {"ids": str(w.article.pk), "select": "1"},
        outsider=200,
        shows_marker=MEMBERS_SEE,
    ),
    Row("articles:export", outsider=200, shows_marker=MEMBERS_SEE),
    Row("articles:original", ARTICLE, shows_marker=MEMBERS_SEE),
    post_only("articles:reprocess", ARTICLE, outsider=405, viewer=405, editor=405),
    Row("articles:reprocess", ARTICLE, method="POST", viewer=403, editor=302),
    post_only("articles:restore_line", ARTICLE, outsider=405, viewer=405, editor=405),
    Row(
        "articles:restore_line",
        ARTICLE,
        method="POST",
        data=lambda w: {"key": w.article.removed_lines[0]["key"]},  # "Sign up for our newsletter."
        viewer=403,
        editor=302,
    ),
    # --- tags, passages, saved searches --------------------------------------------------------
    Row("annotations:tags", outsider=200, shows_marker=MEMBERS_SEE),
    Row("annotations:tags", data=lambda w: {"merge": str(w.tag.pk)}, variant="merge form", outsider=200),
    post_only("annotations:tag_action", {"pk": pk("tag")}, outsider=405, viewer=403, editor=405),
    Row(
        "annotations:tag_action",
        {"pk": pk("tag")},
        method="POST",
        variant="rename",
        data={"action": "rename", "name": "renamed"},
        viewer=403,
        editor=302,
    ),
    Row(
        "annotations:tag_action",
        {"pk": pk("tag")},
        method="POST",
        variant="delete",
        data={"action": "delete"},
        viewer=403,
        editor=302,
    ),
    Row("annotations:passages", data={"q": "7f3a"}, outsider=200, shows_marker=MEMBERS_SEE),
    # Saved searches are personal: only the editor who saved one may open or delete it.
    Row("annotations:saved_searches", outsider=200, shows_marker=("editor",)),
    post_only("annotations:saved_search_create", outsider=405, viewer=405, editor=405),
    Row(
        "annotations:saved_search_create",
        method="POST",
        data={"name": "Flood stories", "kind": SavedSearch.Kind.ARTICLES, "q": "flood"},
        outsider=302,  # saved in the outsider's own workspace
        viewer=302,  # a saved search is the researcher's own, not a change to the workspace
        editor=302,
    ),
    Row("annotations:saved_search_open", {"pk": pk("saved")}, viewer=404, editor=302),
    post_only("annotations:saved_search_delete", {"pk": pk("saved")}, outsider=405, viewer=405, editor=405),
    Row("annotations:saved_search_delete", {"pk": pk("saved")}, method="POST", viewer=404, editor=302),
    # --- the reader's JSON API -----------------------------------------------------------------
    Row(
        "annotations:api_article_annotations",
        {"article_pk": pk("article")},
        anonymous=401,
        shows_marker=MEMBERS_SEE,
    ),
    Row(
        "annotations:api_article_annotations",
        {"article_pk": pk("article")},
        method="POST",
        data=new_passage,
        json=True,
        anonymous=401,
        viewer=403,
        editor=201,
    ),
    Row("annotations:api_annotation", ANNOTATION, anonymous=401, shows_marker=MEMBERS_SEE),
    Row(
        "annotations:api_annotation",
        ANNOTATION,
        method="PATCH",
        data=lambda w: {"version": w.annotation.version, "note": "Changed."},
        json=True,
        anonymous=401,
        viewer=403,
        editor=200,
    ),
    Row("annotations:api_annotation", ANNOTATION, method="DELETE", json=True, anonymous=401, viewer=403, editor=200),
    # Another member's annotation: editors may not change it unless the workspace allows it (off).
    Row(
        "annotations:api_annotation",
        {"pk": pk("owners_annotation")},
        method="PATCH",
        variant="another member's",
        data=lambda w: {"version": w.owners_annotation.version, "note": "Changed."},
        json=True,
        anonymous=401,
        viewer=403,
        editor=403,
    ),
    Row(
        "annotations:api_annotation",
        {"pk": pk("owners_annotation")},
        method="DELETE",
        variant="another member's",
        json=True,
        anonymous=401,
        viewer=403,
        editor=403,
    ),
    Row(
        "annotations:api_annotation_restore",
        {"pk": pk("deleted_annotation")},
        anonymous=405,
        outsider=405,
        viewer=405,
        editor=405,
    ),
    Row(
        "annotations:api_annotation_restore",
        {"pk": pk("deleted_annotation")},
        method="POST",
        json=True,
        anonymous=401,
        viewer=403,
        editor=200,
    ),
    Row("annotations:api_tags", data={"q": "7f3a"}, anonymous=401, outsider=200, shows_marker=MEMBERS_SEE),
    # --- W3C export and import -------------------------------------------------------------------
    Row("annotations:export", outsider=200, shows_marker=MEMBERS_SEE),
    Row("annotations:export_article", ARTICLE, shows_marker=MEMBERS_SEE),
    post_only("annotations:import", anonymous=405, outsider=405, viewer=405, editor=405),
    Row(
        "annotations:import",
        method="POST",
        data=w3c_file,
        outsider=302,  # into the outsider's own workspace, where the target article does not exist
        viewer=403,
        editor=302,
    ),
    # --- dossiers ------------------------------------------------------------------------------
    Row("dossiers:list", outsider=200, shows_marker=MEMBERS_SEE),
    Row("dossiers:create", outsider=200, viewer=403),
    Row(
        "dossiers:create",
        method="POST",
        data={"title": "Flood defences", "description": ""},
        outsider=302,  # the outsider's own workspace
        viewer=403,
        editor=302,
    ),
    Row("dossiers:file_articles", data=lambda w: {"articles": str(w.article.pk)}, outsider=200, viewer=403),
    Row(
        "dossiers:file_articles",
        method="POST",
        variant="tags",
        data=lambda w: {"articles": str(w.article.pk), "tags": "filed"},
        viewer=403,
        editor=302,
    ),
    Row(
        "dossiers:file_articles",
        method="POST",
        variant="dossier",
        data=lambda w: {"articles": str(w.article.pk), "dossier": str(w.second_dossier.pk)},
        outsider=422,  # the dossier is not among the outsider's choices
        viewer=403,
        editor=302,
    ),
    Row("dossiers:pin", data=lambda w: {"annotation": str(w.annotation.pk)}, viewer=403),
    Row(
        "dossiers:pin",
        method="POST",
        data=lambda w: {"annotation": str(w.annotation.pk), "dossier": str(w.second_dossier.pk), "note": "Why."},
        viewer=403,
        editor=302,
    ),
    Row("dossiers:detail", DOSSIER, shows_marker=MEMBERS_SEE),
    Row("dossiers:tags", DOSSIER, shows_marker=MEMBERS_SEE),
    Row("dossiers:edit", DOSSIER, viewer=403),
    Row(
        "dossiers:edit",
        DOSSIER,
        method="POST",
        data={"title": "Renamed", "description": ""},
        viewer=403,
        editor=302,
    ),
    *(
        Row("dossiers:export", {**DOSSIER, "fmt": lambda w, fmt=fmt: fmt}, variant=fmt, shows_marker=MEMBERS_SEE)
        for fmt in ("md", "html", "csv", "json")
    ),
    post_only("dossiers:archive", DOSSIER, outsider=405, viewer=403, editor=405),
    Row("dossiers:archive", DOSSIER, method="POST", data={"archived": "1"}, viewer=403, editor=302),
    Row(
        "dossiers:passages",
        DOSSIER,
        variant="section",
        data=lambda w: {"section": str(w.section.pk)},
        shows_marker=MEMBERS_SEE,
    ),
    Row("dossiers:passages", DOSSIER, variant="tag", data=lambda w: {"tag": str(w.tag.pk)}, shows_marker=MEMBERS_SEE),
    post_only("dossiers:section_create", DOSSIER, outsider=405, viewer=403, editor=405),
    Row("dossiers:section_create", DOSSIER, method="POST", data={"title": "Costs"}, viewer=403, editor=302),
    post_only(
        "dossiers:section_action", {**DOSSIER, "section_pk": pk("section")}, outsider=405, viewer=403, editor=405
    ),
    Row(
        "dossiers:section_action",
        {**DOSSIER, "section_pk": pk("section")},
        method="POST",
        variant="update",
        data={"action": "update", "title": "Costs", "note": ""},
        viewer=403,
        editor=302,
    ),
    Row(
        "dossiers:section_action",
        {**DOSSIER, "section_pk": pk("section")},
        method="POST",
        variant="delete",
        data={"action": "delete"},
        viewer=403,
        editor=302,
    ),
    post_only("dossiers:story_action", {**DOSSIER, "item_pk": pk("story")}, outsider=405, viewer=403, editor=405),
    Row(
        "dossiers:story_action",
        {**DOSSIER, "item_pk": pk("story")},
        method="POST",
        variant="note",
        data={"action": "note", "note": "Changed."},
        viewer=403,
        editor=302,
    ),
    Row(
        "dossiers:story_action",
        {**DOSSIER, "item_pk": pk("story")},
        method="POST",
        variant="remove",
        data={"action": "remove"},
        viewer=403,
        editor=302,
    ),
    post_only("dossiers:passage_action", {**DOSSIER, "pin_pk": pk("pin")}, outsider=405, viewer=403, editor=405),
    Row(
        "dossiers:passage_action",
        {**DOSSIER, "pin_pk": pk("pin")},
        method="POST",
        variant="update",
        data=lambda w: {"action": "update", "section": "", "note": "Changed."},
        viewer=403,
        editor=302,
    ),
    Row(
        "dossiers:passage_action",
        {**DOSSIER, "pin_pk": pk("pin")},
        method="POST",
        variant="unpin",
        data={"action": "unpin"},
        viewer=403,
        editor=302,
    ),
]

CHANGES = [row for row in TABLE if row.method != "GET"]


# --- Helpers ---------------------------------------------------------------------------------


def send(client: Client, row: Row, w):
    url, data = row.url(w), row.payload(w)
    if row.method == "GET":
        return client.get(url, data or {})
    if row.json:
        body = json.dumps(data) if data is not None else ""
        return client.generic(row.method, url, body, content_type="application/json")
    return client.post(url, data or {})


def body_of(response) -> str:
    """The whole response as text: headers, and the body (joined if streamed)."""
    # Joining a streamed body also closes it (the test client wraps it so; closing a response
    # ourselves would send request_finished and close the test database's connection).
    content = b"".join(response.streaming_content) if response.streaming else response.content
    headers = "\n".join(f"{name}: {value}" for name, value in response.items())
    return headers + "\n" + content.decode("utf-8", errors="replace")


def check_status(response, expected) -> None:
    if expected == LOGIN:
        assert response.status_code == 302, response.status_code
        assert response.url.startswith(reverse("login")), response.url
    else:
        assert response.status_code == expected


# --- Tests -----------------------------------------------------------------------------------


def route_names(patterns, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if inner.startswith("admin:"):
                continue
            names |= route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"an unnamed route: {pattern.pattern}"
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_route_is_in_the_table():
    routes = route_names(get_resolver().url_patterns)
    in_table = {row.name for row in TABLE}
    assert not routes - in_table, f"routes missing from TABLE: {sorted(routes - in_table)}"
    assert not in_table - routes, f"TABLE rows for routes that no longer exist: {sorted(in_table - routes)}"
    assert {row.name for row in TABLE if row.method == "GET"} == routes, "every route needs its GET row"


def test_table_rows_are_unique():
    ids = [row.id for row in TABLE]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", TABLE, ids=[row.id for row in TABLE])
def test_access(request, world, row, role):
    expected = getattr(row, role)
    client = client_for(request, role)
    must_not_change = (
        expected in DENIED
        or (role == "outsider" and not row.outsider_may_change)
        or (role in {"viewer", "editor"} and row.name in MEMBER_LEAVES_UNCHANGED and row.method == "POST")
    )
    # What the editor may do does change the workspace: the check above is not vacuous.
    must_change = (
        role == "editor"
        and row.method != "GET"
        and expected in {200, 201, 302}
        and row.name not in NOT_WORKSPACE_STATE | MEMBER_LEAVES_UNCHANGED
    )
    before = workspace_state(world.workspace) if must_not_change or must_change else None
    response = send(client, row, world)
    text = body_of(response)

    check_status(response, expected)
    if row.name.startswith("annotations:api_") and expected in {401, 403, 404}:
        assert response["Content-Type"] == "application/json"
    if role == "outsider" and row.leak_check:
        assert not MARKER_RE.findall(text), f"leaked to the outsider: {sorted(set(MARKER_RE.findall(text)))}"
    if role in row.shows_marker:
        assert MARKER_RE.search(text), "the members' response should show the workspace's data"
    if must_not_change:
        assert workspace_state(world.workspace) == before, "a refused request changed the workspace"
    if must_change:
        assert workspace_state(world.workspace) != before, "the editor's change did not happen"


@pytest.mark.parametrize("row", CHANGES, ids=[row.id for row in CHANGES])
def test_state_changing_requests_need_the_csrf_token(world, editor_client, row):
    client = shared_handler(Client(enforce_csrf_checks=True), enforce_csrf_checks=True)
    client.force_login(editor_client.user)
    before = workspace_state(world.workspace)
    response = send(client, row, world)
    body_of(response)
    assert response.status_code == 403
    assert workspace_state(world.workspace) == before


def test_saved_searches_are_private_to_who_saved_them(world, viewer_client):
    client = shared_handler(viewer_client)
    for headers in ({}, {"HX-Request": "true"}):  # the page, and the navigation's Saved menu
        response = client.get(reverse("annotations:saved_searches"), headers=headers)
        assert response.status_code == 200
        assert world.saved.name not in body_of(response)


# --- An editor of the workspace naming another workspace's objects through its own -----------

FOREIGN = "foreign-9b2e"
FOREIGN_TEXT = f"{FOREIGN}-body: the stadium plans were approved.\n\nThe club welcomed the decision."


@pytest.fixture
def foreign(other_workspace):
    """Objects of the outsider's workspace, each with its own marker."""
    article = ArticleFactory(workspace=other_workspace, title=f"{FOREIGN}-title", text=FOREIGN_TEXT)
    start, end = span(article.text, f"{FOREIGN}-body")
    annotation = annotation_services.create_annotation(
        article=article, user=None, start=start, end=end, exact=f"{FOREIGN}-body", tag_names=[f"{FOREIGN}-tag"]
    )
    dossier = dossier_services.create_dossier(workspace=other_workspace, user=None, title=f"{FOREIGN}-dossier")
    section = dossier_services.create_section(dossier=dossier, title=f"{FOREIGN}-section")
    pin, _ = dossier_services.pin_passage(dossier=dossier, annotation=annotation, section=section)
    return SimpleNamespace(
        workspace=other_workspace,
        article=article,
        annotation=annotation,
        tag=Tag.objects.get(workspace=other_workspace),
        dossier=dossier,
        section=section,
        pin=pin,
        story=DossierArticle.objects.get(dossier=dossier),
    )


MIXED = {
    "pin another workspace's passage into our dossier": (
        "dossiers:pin",
        lambda w, f: {},
        lambda w, f: {"annotation": f.annotation.pk, "dossier": w.dossier.pk},
        404,
    ),
    "file another workspace's article into our dossier": (
        "dossiers:file_articles",
        lambda w, f: {},
        lambda w, f: {"articles": str(f.article.pk), "dossier": w.dossier.pk},
        404,
    ),
    "merge our tag into another workspace's": (
        "annotations:tag_action",
        lambda w, f: {"pk": w.tag.pk},
        lambda w, f: {"action": "merge", "target": f.tag.pk},
        404,
    ),
    "move our pin into another workspace's section": (
        "dossiers:passage_action",
        lambda w, f: {"pk": w.dossier.pk, "pin_pk": w.pin.pk},
        lambda w, f: {"action": "update", "section": f.section.pk},
        404,
    ),
    "another workspace's section under our dossier": (
        "dossiers:section_action",
        lambda w, f: {"pk": w.dossier.pk, "section_pk": f.section.pk},
        lambda w, f: {"action": "delete"},
        404,
    ),
    "another workspace's story under our dossier": (
        "dossiers:story_action",
        lambda w, f: {"pk": w.dossier.pk, "item_pk": f.story.pk},
        lambda w, f: {"action": "remove"},
        404,
    ),
    "another workspace's pin under our dossier": (
        "dossiers:passage_action",
        lambda w, f: {"pk": w.dossier.pk, "pin_pk": f.pin.pk},
        lambda w, f: {"action": "unpin"},
        404,
    ),
    "import an annotation onto another workspace's article": (
        "annotations:import",
        lambda w, f: {},
        lambda w, f: w3c_file(SimpleNamespace(article=f.article)),
        302,  # imported as an error ("no such article"), nothing attached
    ),
    "our dossier's passages of another workspace's tag": (
        "dossiers:passages",
        lambda w, f: {"pk": w.dossier.pk},
        lambda w, f: {"tag": f.tag.pk},
        404,
    ),
    "rows of another workspace's articles": (
        "articles:rows_hx",
        lambda w, f: {},
        lambda w, f: {"ids": str(f.article.pk)},
        200,
    ),
}


@pytest.mark.parametrize("case", MIXED)
def test_an_editor_cannot_reach_another_workspace_through_their_own(world, foreign, editor_client, case):
    name, kwargs, data, expected = MIXED[case]
    client = shared_handler(editor_client)
    before = workspace_state(foreign.workspace)
    url = reverse(name, kwargs=kwargs(world, foreign))
    method = "GET" if name in {"dossiers:passages", "articles:rows_hx"} else "POST"
    response = client.get(url, data(world, foreign)) if method == "GET" else client.post(url, data(world, foreign))
    text = body_of(response)

    assert response.status_code == expected
    assert FOREIGN not in text
    assert workspace_state(foreign.workspace) == before


def test_a_viewer_cannot_pin_by_switching_to_a_workspace_where_they_edit(world, viewer_client):
    viewer = viewer_client.user
    elsewhere = MembershipFactory(user=viewer, role=Role.EDITOR).workspace
    shared_handler(viewer_client).post(reverse("switch_workspace"), {"workspace": elsewhere.pk})
    other_dossier = dossier_services.create_dossier(workspace=world.workspace, user=None, title="Other dossier")
    before = workspace_state(world.workspace)

    response = viewer_client.post(
        reverse("dossiers:pin"), {"annotation": world.annotation.pk, "dossier": other_dossier.pk, "note": "Pinned."}
    )

    assert response.status_code in {403, 404}
    assert workspace_state(world.workspace) == before
