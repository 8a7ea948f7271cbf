"""The publishing API: newsroom tools post to a live blog through the same service as the admin."""

import json

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import tokens
from .models import LiveBlog, Post, Quote
from .services import QuoteData, post_create

MAX_QUOTES = 20


class PostApiForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = ["headline", "body", "status", "is_key_event", "published_at", "image", "image_caption",
                  "image_credit", "embed_url"]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].required = False
        self.fields["published_at"].required = False

    def clean_status(self):
        return self.cleaned_data.get("status") or Post.Status.PUBLISHED


class QuoteApiForm(forms.ModelForm):
    class Meta:
        model = Quote
        fields = ["text", "speaker_name", "speaker_role"]


def _payload(request) -> tuple[dict, dict]:
    if request.content_type == "application/json":
        data = json.loads(request.body or b"{}")
        if not isinstance(data, dict):
            raise ValueError("the body must be a JSON object")
        return data, {}
    data = request.POST.dict()
    data["quotes"] = json.loads(data["quotes"]) if data.get("quotes") else []
    return data, request.FILES


def _errors(error: ValidationError) -> dict:
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


def _bad_request(errors: dict) -> JsonResponse:
    return JsonResponse({"errors": errors}, status=400)


@csrf_exempt
@require_POST
def publish_post(request, slug):
    token = tokens.authenticate(request.headers.get("Authorization"))
    if token is None:
        return JsonResponse({"error": "A valid API token is required: Authorization: Bearer <token>."}, status=401)
    blog = get_object_or_404(LiveBlog, slug=slug)
    try:
        data, files = _payload(request)
    except ValueError as error:
        return _bad_request({"__all__": [f"Could not read the request: {error}"]})
    form = PostApiForm(data, files, instance=Post(blog=blog, author=token.user))
    quote_items = data.get("quotes") or []
    if not isinstance(quote_items, list) or len(quote_items) > MAX_QUOTES:
        return _bad_request({"quotes": [f"quotes must be a list of at most {MAX_QUOTES} objects"]})
    quote_forms = [QuoteApiForm(q if isinstance(q, dict) else {}) for q in quote_items]
    errors = dict(form.errors) if not form.is_valid() else {}
    for i, quote_form in enumerate(quote_forms):
        if not quote_form.is_valid():
            errors[f"quotes[{i}]"] = quote_form.errors
    if errors:
        return _bad_request(errors)
    quotes = [QuoteData(**q.cleaned_data) for q in quote_forms]
    try:
        change = post_create(post=form.instance, actor=token.user, quotes=quotes)
    except ValidationError as error:
        return _bad_request(_errors(error))
    except PermissionDenied as error:
        return JsonResponse({"error": str(error) or "Not allowed."}, status=403)
    return JsonResponse(
        {"id": change.post.pk, "url": request.build_absolute_uri(change.post.get_absolute_url()), "seq": change.seq,
         "status": change.post.status},
        status=201,
    )  # fmt: skip
