"""The publishing API: newsroom tools post to a live blog through the same service as the admin.

A request may carry an Idempotency-Key: a retry with the same key within a day gets the
first answer again and posts nothing, even when both arrive at once (see idempotency.py).
Each user may publish a limited number of times a minute (LIVEBLOG_API_RATE_PER_MINUTE),
however many tokens they hold; past that, 429 with Retry-After.
"""

import json
import math
import time

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import idempotency, images, permissions, tokens
from .models import LiveBlog, Post, Quote
from .services import EndedBlogError, QuoteData, post_create

MAX_QUOTES = 20
MAX_KEY_LENGTH = 200
TEXT_FIELDS = ("headline", "body", "status", "published_at", "image_caption", "image_credit", "embed_url")
QUOTE_FIELDS = ("text", "speaker_name", "speaker_role")
# A post is an object holding a list of quote objects; anything much deeper is not a post.
MAX_JSON_DEPTH = 8


class PostApiForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = ["headline", "body", "status", "is_key_event", "published_at", "image", "image_caption",
                  "image_credit", "embed_url"]  # fmt: skip
        field_classes = {"image": images.PictureField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].required = False
        self.fields["published_at"].required = False

    def clean_status(self):
        """Unsaid, a reporter's post is published and a contributor's is submitted for approval."""
        if status := self.cleaned_data.get("status"):
            return status
        return Post.Status.PUBLISHED if permissions.can_publish(self.instance.author) else Post.Status.SUBMITTED


class QuoteApiForm(forms.ModelForm):
    class Meta:
        model = Quote
        fields = ["text", "speaker_name", "speaker_role"]


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    if not math.isfinite(number := float(text)):
        raise ValueError(f"{text[:20]} is too large a number")
    return number


def _nests_too_deep(value) -> bool:
    """Whether lists and objects nest past MAX_JSON_DEPTH, found without recursion."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        children = list(item.values()) if isinstance(item, dict) else item
        if isinstance(children, list):
            if depth > MAX_JSON_DEPTH:
                return True
            pending.extend((child, depth + 1) for child in children)
    return False


def _json(text: str | bytes):
    """Decoded JSON, or ValueError saying why not: ValueError covers bad UTF-8 and numbers too long to read."""
    too_deep = ValueError(f"JSON may nest at most {MAX_JSON_DEPTH} levels deep")
    try:
        value = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite)
    except RecursionError:
        raise too_deep from None
    if _nests_too_deep(value):
        raise too_deep
    return value


def _payload(request) -> tuple[dict, dict]:
    if request.content_type == "application/json":
        data = _json(request.body or b"{}")
        if not isinstance(data, dict):
            raise ValueError("the body must be a JSON object")
        return data, {}
    try:
        data = request.POST.dict()
    except MultiPartParserError as error:
        raise ValueError(str(error)) from None
    try:
        data["quotes"] = _json(data["quotes"]) if data.get("quotes") else []
    except ValueError as error:
        raise ValueError(f"quotes: {error}") from None
    return data, request.FILES


def _is_text(value) -> bool:
    """A string that can be stored and sent: no lone surrogates, which JSON's \\ud800 escapes can make."""
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shape_errors(data: dict, names: tuple[str, ...], where: str = "") -> dict:
    """Field errors for values that are not text (or true/false, for is_key_event)."""
    errors = {}
    for name in names:
        value = data.get(name)
        if value is not None and not _is_text(value):
            errors[f"{where}{name}"] = ["Must be a string of valid Unicode text."]
    return errors


def _input_errors(data: dict) -> dict:
    errors = _shape_errors(data, TEXT_FIELDS)
    if data.get("is_key_event") is not None and not isinstance(data["is_key_event"], bool | str):
        errors["is_key_event"] = ["Must be true or false."]
    quotes = data.get("quotes") or []
    if not isinstance(quotes, list) or len(quotes) > MAX_QUOTES:
        return {**errors, "quotes": [f"quotes must be a list of at most {MAX_QUOTES} objects"]}
    for i, quote in enumerate(quotes):
        if not isinstance(quote, dict):
            errors[f"quotes[{i}]"] = ["Must be an object with text, speaker_name and speaker_role."]
        else:
            errors.update(_shape_errors(quote, QUOTE_FIELDS, where=f"quotes[{i}]."))
    return errors


def _errors(error: ValidationError) -> dict:
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


def _bad_request(errors: dict) -> JsonResponse:
    return JsonResponse({"errors": errors}, status=400)


def _over_rate(user) -> int:
    """Seconds until the user may publish again, or 0 when they may now."""
    limit = settings.LIVEBLOG_API_RATE_PER_MINUTE
    if not limit:
        return 0
    now = time.time()
    window = int(now // 60)
    # Counted per user, not per token: a second token must not double the limit.
    key = f"api-rate:user:{user.pk}:{window}"
    try:
        cache.add(key, 0, timeout=120)
        used = cache.incr(key)
    except Exception:  # the cache is away: publishing matters more than the limit
        return 0
    return int(60 - now % 60) + 1 if used > limit else 0


@csrf_exempt
@require_POST
def publish_post(request, slug):
    token = tokens.authenticate(request.headers.get("Authorization"))
    if token is None:
        return JsonResponse({"error": "A valid API token is required: Authorization: Bearer <token>."}, status=401)
    key = request.headers.get("Idempotency-Key")
    if key is not None and not (0 < len(key) <= MAX_KEY_LENGTH and key.isprintable()):
        return _bad_request({"Idempotency-Key": [f"Must be 1 to {MAX_KEY_LENGTH} printable characters."]})
    blog = get_object_or_404(LiveBlog, slug=slug)
    try:
        data, files = _payload(request)
    except ValueError as error:
        return _bad_request({"__all__": [f"Could not read the request: {error}"]})
    if not key:
        return _publish(request, blog, token, data, files)
    claim = idempotency.claim(
        token=token, key=key, request_hash=idempotency.request_hash(slug=slug, data=data, files=files)
    )
    if isinstance(claim, JsonResponse):
        return claim  # the first request's answer, or why there is none yet
    response = None
    try:
        response = _publish(request, blog, token, data, files, claim=claim)
        return response
    finally:
        if response is None or response.status_code != 201:
            idempotency.release(claim)


def _publish(request, blog, token, data, files, claim=None) -> JsonResponse:
    if wait := _over_rate(token.user):
        response = JsonResponse({"error": f"Too many posts from this user; try again in {wait} s."}, status=429)
        response["Retry-After"] = str(wait)
        return response
    if errors := _input_errors(data):
        return _bad_request(errors)
    form = PostApiForm(data, files, instance=Post(blog=blog, author=token.user))
    quote_forms = [QuoteApiForm(q) for q in data.get("quotes") or []]
    errors = dict(form.errors) if not form.is_valid() else {}
    for i, quote_form in enumerate(quote_forms):
        if not quote_form.is_valid():
            errors[f"quotes[{i}]"] = quote_form.errors
    if errors:
        return _bad_request(errors)
    quotes = [QuoteData(**q.cleaned_data) for q in quote_forms]
    try:
        with transaction.atomic():
            change = post_create(
                post=form.instance, actor=token.user, quotes=quotes, allow_ended=data.get("allow_ended") is True
            )
            body = {"id": change.post.pk, "url": request.build_absolute_uri(change.post.get_absolute_url()),
                    "seq": change.seq, "status": change.post.status}  # fmt: skip
            if claim:
                idempotency.answer(claim, status=201, body=body)
    except EndedBlogError as error:
        return JsonResponse({"error": error.messages[0] + ' Send "allow_ended": true to post anyway.'}, status=409)
    except ValidationError as error:
        return _bad_request(_errors(error))
    except PermissionDenied as error:
        return JsonResponse({"error": str(error) or "Not allowed."}, status=403)
    except idempotency.ClaimLost:
        return idempotency.still_in_progress()
    return JsonResponse(body, status=201)
