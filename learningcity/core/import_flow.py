"""The preview-then-apply flow every import page shares.

1. The person uploads a file: it is staged (core.staging) and checked with apply=False; the page shows the
   preview, or every bad row (row, column, reason) and nothing is kept.
2. She confirms: the staged file is applied (all-or-nothing), discarded, and she is sent on with a message.
"""

from collections.abc import Callable
from typing import IO, Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import staging
from .errors import DomainError, ImportRejected


def staged_import(
    request,
    *,
    form,
    template: str,
    run: Callable[[IO[bytes], bool], Any],
    applied: Callable[[Any], tuple[str, HttpResponse]],
    context: dict | None = None,
) -> HttpResponse:
    """Handle one request of an import page.

    `run(stream, apply)` checks (apply=False) or imports (apply=True) and returns a result for the preview;
    `applied(result)` returns the success message and the response to send after an import.
    """
    context = {"form": form, **(context or {})}
    if request.method != "POST":
        return render(request, template, context)
    token = request.POST.get("token", "")
    apply = request.POST.get("apply") == "1" and bool(token)
    if not apply:
        if not form.is_valid():
            return render(request, template, context)
        token = staging.stage(request, form.cleaned_data["file"])
    stream = staging.open_staged(request, token)
    if stream is None:
        form.add_error(None, _("The uploaded file has expired. Please upload it again."))
        return render(request, template, context)
    try:
        with stream:
            result = run(stream, apply)
    except ImportRejected as exc:
        context["row_errors"] = exc.errors
        staging.discard(request, token)
    except DomainError as exc:
        form.add_error(None, exc.message)
        staging.discard(request, token)
    else:
        if apply:
            staging.discard(request, token)
            message, response = applied(result)
            messages.success(request, message)
            return response
        context.update(preview=result, token=token, file_name=staging.staged_name(request, token))
    return render(request, template, context)
