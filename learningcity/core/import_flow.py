"""The preview-then-apply flow every import page shares.

1. The person uploads a file: it is staged (core.staging) and checked with apply=False; the page shows the
   preview, or every bad row (row, column, reason) and nothing is kept.
2. She confirms: the staged file is applied (all-or-nothing), discarded, and she is sent on with a message.

A page that needs more plugs it in: `preview` shapes what the preview shows (and what its confirm form sends
back, such as decisions on probable duplicates), `dispatch` takes a staged file another way before it is read
(a large sheet goes to a background task), `expired` answers when the staged file is gone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import staging
from .errors import DomainError, ImportRejected


@dataclass
class Staged:
    """The staged upload one request works on: open, and whether the person confirmed it (apply)."""

    request: Any
    token: str
    stream: IO[bytes]
    apply: bool

    @property
    def name(self) -> str:
        """The name the file was uploaded under."""
        return staging.staged_name(self.request, self.token)

    def release(self) -> None:
        """The caller takes the file over (a background task removes it when done)."""
        staging.release(self.request, self.token)

    def discard(self) -> None:
        staging.discard(self.request, self.token)


@dataclass
class Applied:
    """What the person is told after an import, and where she is sent."""

    message: str
    response: HttpResponse
    level: int = messages.SUCCESS


def staged_import(
    request,
    *,
    form,
    template: str,
    run: Callable[[IO[bytes], bool], Any],
    applied: Callable[[Any], tuple[str, HttpResponse] | Applied],
    context: dict | None = None,
    preview: Callable[[Any, str], dict] | None = None,
    dispatch: Callable[[Staged], HttpResponse | None] | None = None,
    expired: Callable[[], HttpResponse] | None = None,
    max_row_errors: int | None = None,
) -> HttpResponse:
    """Handle one request of an import page.

    `run(stream, apply)` checks (apply=False) or imports (apply=True) and returns a result for the preview;
    `applied(result)` returns the message (an `Applied` to give its level) and the response to send after an
    import. Optional:
    `preview(result, token)` the context of the preview (default: the result as `preview`);
    `dispatch(staged)` is asked first, with the staged file open: a response it returns is sent as it is and the
    staged file is left to it (it keeps, releases or discards it), None goes on with `run`;
    `expired()` the response when the staged file is gone (default: the form again with a message);
    `max_row_errors` how many bad rows the page lists at most.
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
        if expired is not None:
            return expired()
        form.add_error(None, _("The uploaded file has expired. Please upload it again."))
        return render(request, template, context)
    try:
        with stream:
            response = dispatch(Staged(request, token, stream, apply)) if dispatch else None
            if response is not None:
                return response
            result = run(stream, apply)
    except ImportRejected as exc:
        context["row_errors"] = exc.errors[:max_row_errors] if max_row_errors else exc.errors
        staging.discard(request, token)
    except DomainError as exc:
        form.add_error(None, exc.message)
        staging.discard(request, token)
    else:
        if apply:
            staging.discard(request, token)
            done = applied(result)
            if not isinstance(done, Applied):
                done = Applied(*done)
            messages.add_message(request, done.level, done.message)
            return done.response
        context.update(preview(result, token) if preview else {"preview": result})
        context.update(token=token, file_name=staging.staged_name(request, token))
    return render(request, template, context)
