"""Small request helpers shared by every app's views."""

from django.conf import settings
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def safe_next(request: HttpRequest, *, default: str) -> str:
    """The `next` URL of a form if it stays on this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def filters_open(request: HttpRequest, *, besides: frozenset[str] = frozenset({"q", "order", "page"})) -> bool:
    """Whether the URL sets any filter beyond the search words, sort and page (to show them open)."""
    return any(value for key, value in request.GET.items() if key not in besides)


def client_ip(request: HttpRequest) -> str | None:
    """The address a request came from, for login rate limiting.

    Behind our TLS proxy (`settings.BEHIND_PROXY`) it is the last X-Forwarded-For entry, the one
    the proxy appended; earlier entries are the client's own say and could be anything.
    """
    if settings.BEHIND_PROXY:
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR")
