"""The shared inbox (/inbox, also /actor/inbox) and the personal ones
(/users/<name>/inbox). In order, before anything is stored: the size limit (413), the
signature, with its key fetched or cached (401; 403 for blocked domains and suspended
accounts), then the JSON (400), then the rule that the actor is the signer (401). Then 202,
and the raw activity is queued for the ingress workers."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from federation.authentication import Rejected, verify_signature
from federation.delivery import clear_failures
from federation.parse import MalformedDocument, load_document
from federation.parse.values import id_of
from federation.selectors import local_account
from federation.tasks import process_activity
from fediverse.effects import enqueue

MAX_BODY_BYTES = 1024 * 1024
INGRESS_QUEUE = "ingress"


def _text(status: int, message: str) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _read_body(request: HttpRequest) -> bytes | None:
    """The body, or None when it is over the limit, read no further than the limit."""
    declared = request.META.get("CONTENT_LENGTH") or ""
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        return None
    body = request.read(MAX_BODY_BYTES + 1)
    return None if len(body) > MAX_BODY_BYTES else body


def receive(request: HttpRequest, recipient_id: int | None) -> HttpResponse:
    body = _read_body(request)
    if body is None:
        return _text(413, "The activity is larger than 1 MB.")
    try:
        signer = verify_signature(request, body)
    except Rejected as rejected:
        return _text(rejected.status, rejected.reason)
    # A server that signs requests to us is up again: deliveries to it resume.
    clear_failures(signer.domain)
    try:
        document = load_document(body)
    except MalformedDocument as error:
        return _text(400, str(error))
    if id_of(document.get("actor")) != signer.uri:
        return _text(401, "The activity's actor is not the signer.")
    enqueue(
        process_activity,
        body.decode("utf-8"),
        signer.pk,
        recipient_id,
        queue=INGRESS_QUEUE,
    )
    return HttpResponse(status=202)


@csrf_exempt
@require_POST
def shared_inbox(request: HttpRequest) -> HttpResponse:
    return receive(request, None)


@csrf_exempt
@require_POST
def personal_inbox(request: HttpRequest, username: str) -> HttpResponse:
    account = local_account(username)
    if account is None:
        raise Http404("No such account")
    return receive(request, account.pk)
