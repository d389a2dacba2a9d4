"""Who may do what: the one place where workspace permissions are decided.

Every view goes through `workspace_view` (pages of the current workspace) or
`get_object_for` (one object, wherever it lives). A non-member gets 404 for another
workspace's objects, so their existence never leaks; a member whose role lacks the
action gets 403 with a plain explanation.
"""

from enum import StrEnum
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404, render

from workspace.models import Membership, Role, Workspace


class Action(StrEnum):
    VIEW = "view"
    EDIT = "edit"  # add and change articles, tags, annotations, dossiers
    MANAGE = "manage"  # members, invitations, workspace settings


ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.VIEWER: frozenset({Action.VIEW}),
    Role.EDITOR: frozenset({Action.VIEW, Action.EDIT}),
    Role.OWNER: frozenset({Action.VIEW, Action.EDIT, Action.MANAGE}),
}

DENIED_MESSAGES = {
    Action.EDIT: "Your role in this workspace is viewer: you can read everything but not change it.",
    Action.MANAGE: "Only the workspace's owners can manage its members.",
}


def role_allows(role: str, action: Action) -> bool:
    return action in ROLE_ACTIONS.get(role, frozenset())


def membership_in(request: HttpRequest, workspace: Workspace) -> Membership | None:
    """The request user's membership in `workspace`, from what the middleware loaded."""
    for membership in getattr(request, "memberships", ()):
        if membership.workspace_id == workspace.pk:
            return membership
    return None


def can(request: HttpRequest, workspace: Workspace, action: Action) -> bool:
    membership = membership_in(request, workspace)
    return membership is not None and role_allows(membership.role, action)


def require(request: HttpRequest, workspace: Workspace, action: Action) -> Membership:
    membership = membership_in(request, workspace)
    if membership is None:
        raise Http404("No such page.")
    if not role_allows(membership.role, action):
        raise PermissionDenied(DENIED_MESSAGES.get(action, "You may not do that here."))
    return membership


def get_object_for(request: HttpRequest, queryset: models.QuerySet, action: Action, **lookup):
    """Fetch one workspace-owned object through the user's workspaces, then check the role."""
    obj = get_object_or_404(queryset.filter(workspace__in=[m.workspace_id for m in request.memberships]), **lookup)
    require(request, obj.workspace, action)
    return obj


def workspace_view(action: Action):
    """Decorate a view of the current workspace: sign-in, a workspace, and the role for `action`."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if request.workspace is None:
                return render(request, "workspace/no_workspace.html", status=200)
            require(request, request.workspace, action)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
