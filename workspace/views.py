import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from workspace import services
from workspace.forms import InvitationForm, MemberRoleForm, SignUpForm, SwitchWorkspaceForm
from workspace.http import client_ip, safe_next
from workspace.middleware import SESSION_KEY
from workspace.models import Invitation, Membership, Role
from workspace.permissions import Action, require, workspace_view

logger = logging.getLogger(__name__)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect("articles:list")


@login_required
@require_POST
def switch_workspace(request: HttpRequest) -> HttpResponse:
    form = SwitchWorkspaceForm(request.POST)
    if not form.is_valid():
        return redirect("home")
    membership = next((m for m in request.memberships if m.workspace_id == form.cleaned_data["workspace"]), None)
    if membership is None:
        raise Http404("No such workspace.")
    request.session[SESSION_KEY] = membership.workspace_id
    messages.success(request, f"You are now working in {membership.workspace}.")
    return redirect(safe_next(request, default=reverse("home")))


@workspace_view(Action.VIEW)
def member_list(request: HttpRequest) -> HttpResponse:
    form = InvitationForm()
    status = 200
    if request.method == "POST":
        require(request, request.workspace, Action.MANAGE)
        form = InvitationForm(request.POST)
        if form.is_valid():
            try:
                invitation = services.invite(workspace=request.workspace, invited_by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error("email", error)
            else:
                link = request.build_absolute_uri(reverse("invitation_accept", args=[invitation.token]))
                send_invitation(invitation, link)
                messages.success(request, f"Invitation sent to {invitation.email}. Their link: {link}")
                return redirect("members")
        status = 422
    memberships = (
        Membership.objects.filter(workspace=request.workspace).select_related("user").order_by("user__username")
    )
    invitations = Invitation.objects.filter(workspace=request.workspace, accepted_at__isnull=True)
    context = {"memberships": memberships, "invitations": invitations, "form": form, "role_choices": Role.choices}
    return render(request, "workspace/member_list.html", context, status=status)


@workspace_view(Action.MANAGE)
@require_POST
def member_update(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=pk, workspace=request.workspace)
    try:
        if "remove" in request.POST:
            services.remove_member(membership=membership)
            messages.success(request, f"{membership.user} was removed from {request.workspace}.")
        else:
            form = MemberRoleForm(request.POST, instance=Membership(role=membership.role))
            if not form.is_valid():
                messages.error(request, "Choose owner, editor or viewer.")
                return redirect("members")
            services.change_role(membership=membership, role=form.cleaned_data["role"])
            messages.success(request, f"{membership.user} is now {membership.get_role_display().lower()}.")
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("members")


def send_invitation(invitation: Invitation, link: str) -> None:
    body = (
        f"{invitation.invited_by} invites you to the workspace “{invitation.workspace}” as "
        f"{invitation.get_role_display().lower()}.\n\nJoin here: {link}\n"
    )
    try:
        send_mail(f"Join {invitation.workspace}", body, None, [invitation.email])
    except OSError:  # the link is also shown to the owner, who can pass it on
        logger.warning("Could not email the invitation to %s", invitation.email, exc_info=True)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = get_object_or_404(Invitation.objects.select_related("workspace"), token=token)
    if not invitation.is_open:
        return render(request, "workspace/invitation_closed.html", {"invitation": invitation}, status=410)
    form = SignUpForm()
    if request.method == "POST":
        if request.user.is_authenticated:
            return _accept_and_enter(request, invitation, request.user)
        form = SignUpForm(request.POST)
        if form.is_valid():
            user = form.save(commit=False)
            user.email = invitation.email
            user.save()
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return _accept_and_enter(request, invitation, user)
    status = 422 if form.errors else 200
    for_this_user = request.user.is_authenticated and invitation.is_for(request.user)
    context = {"invitation": invitation, "form": form, "for_this_user": for_this_user}
    return render(request, "workspace/invitation_accept.html", context, status=status)


def _accept_and_enter(request: HttpRequest, invitation: Invitation, user) -> HttpResponse:
    try:
        membership = services.accept_invitation(invitation=invitation, user=user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("home")
    request.session[SESSION_KEY] = membership.workspace_id
    messages.success(request, f"Welcome to {membership.workspace}.")
    return redirect("home")


def locked_out(request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None) -> HttpResponse:
    """What a sign-in gets while its username and address are locked out (django-axes calls it)."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    address = client_ip(request)
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    logger.warning("Sign-in as %r from %s refused: locked out after repeated wrong passwords", username, address)
    context = {"username": username, "failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    response = render(request, "registration/locked_out.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A plain explanation, as JSON for the API the reader's script calls."""
    message = "Your page's security token is missing or out of date. Reload the page and try again."
    if request.path.startswith("/annotations/api/") or "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"error": message}, status=403)
    return render(request, "403.html", {"exception": message}, status=403)


@workspace_view(Action.VIEW)
def data_page(request: HttpRequest) -> HttpResponse:
    """Everything of the workspace that can be taken away or brought in, in one place."""
    return render(request, "workspace/data.html")


@workspace_view(Action.MANAGE)
@require_POST
def workspace_settings(request: HttpRequest) -> HttpResponse:
    """The workspace's own rules; for now whether editors may change others' annotations."""
    workspace = request.workspace
    workspace.editors_can_change_others_annotations = request.POST.get("editors_can_change_others") == "on"
    workspace.save(update_fields=["editors_can_change_others_annotations"])
    rule = "may" if workspace.editors_can_change_others_annotations else "may not"
    messages.success(request, f"Editors {rule} now change and delete annotations written by others.")
    return redirect("members")
