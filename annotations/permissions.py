"""Who may change an annotation, on top of the workspace roles in `workspace.permissions`."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from annotations.models import Annotation
from workspace.models import Role
from workspace.permissions import Action, membership_in, role_allows


def can_change(request: HttpRequest, annotation: Annotation) -> bool:
    """Editors change their own; others' too if the workspace says so; owners change all."""
    membership = membership_in(request, annotation.workspace)
    if membership is None or not role_allows(membership.role, Action.EDIT):
        return False
    if membership.role == Role.OWNER or annotation.author_id == request.user.pk:
        return True
    return annotation.workspace.editors_can_change_others_annotations


def require_change(request: HttpRequest, annotation: Annotation) -> None:
    if not can_change(request, annotation):
        raise PermissionDenied("You can change your own annotations; this one belongs to another member.")
