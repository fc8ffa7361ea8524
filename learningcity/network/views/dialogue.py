"""Discussions of a network: in a cluster, about a practice; replies, following, reports and moderation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learningcity.core.errors import DomainError
from learningcity.core.forms import add_domain_error
from learningcity.core.ratelimit import RateLimited, too_many

from .. import selectors, services
from ..access import speaking_city
from ..forms import ModerationForm, PostForm, ReasonForm, ThreadForm
from ..models import Cluster, Post, Practice, Thread
from .public import _network


def _readable(request, network):
    if not selectors.may_read_dialogue(request.user, network):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied(_("The network's discussions are for its members."))
    return None


def _submit(request, form, write):
    """Writing a question or a reply, the same for each page: validate the form, call the service `write` with its
    data (it answers the thread written to), and redirect to the thread. None when the form stays on the page
    with its errors; a refusal of the service's permission check is a 403, the rate limit a 429."""
    if not form.is_valid():
        return None
    try:
        thread = write(form.cleaned_data)
    except RateLimited as exc:
        return too_many(request, exc)
    except DomainError as exc:
        if exc.code == "forbidden":
            raise PermissionDenied(exc.message) from None
        add_domain_error(form, exc)
        return None
    return redirect("network:thread", thread.network.slug, thread.pk)


def cluster_detail(request, network_slug, cluster_code):
    network = _network(network_slug)
    try:
        cluster = network.clusters.get(code=cluster_code)
    except Cluster.DoesNotExist:
        raise Http404(_("There is no such cluster.")) from None
    if (refusal := _readable(request, network)) is not None:
        return refusal
    form = ThreadForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        done = _submit(
            request,
            form,
            lambda data: services.thread_create(actor=request.user, network=network, cluster=cluster, **data),
        )
        if done is not None:
            return done
    return render(
        request,
        "network/cluster_detail.html",
        {
            "network": network,
            "cluster": cluster,
            "threads": selectors.thread_list(network=network, cluster=cluster),
            "form": form if speaking_city(request.user, network) else None,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
@login_required
def practice_ask(request, network_slug, city_slug, practice_slug):
    network = _network(network_slug)
    try:
        practice = selectors.practice_get(network=network, city_slug=city_slug, slug=practice_slug)
    except Practice.DoesNotExist:
        raise Http404(_("There is no such practice in this network.")) from None
    form = ThreadForm(request.POST)
    done = _submit(
        request,
        form,
        lambda data: services.thread_create(actor=request.user, network=network, practice=practice, **data),
    )
    if done is not None:
        return done
    return render(
        request,
        "network/form_page.html",
        {"network": network, "form": form, "title": _("Ask a question")},
        status=400,
    )


def thread_detail(request, network_slug, thread_id):
    network = _network(network_slug)
    try:
        thread = selectors.thread_get(network=network, pk=thread_id)
    except Thread.DoesNotExist:
        raise Http404(_("There is no such discussion.")) from None
    if (refusal := _readable(request, network)) is not None:
        return refusal
    form = PostForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        done = _submit(
            request,
            form,
            lambda data: services.post_create(actor=request.user, thread=thread, body=data["body"]).thread,
        )
        if done is not None:
            return done
    moderator = selectors.may_moderate(request.user, network)
    return render(
        request,
        "network/thread_detail.html",
        {
            "network": network,
            "thread": thread,
            "posts": selectors.post_list(thread=thread),
            "form": form if speaking_city(request.user, network) else None,
            "moderator": moderator,
            "following": request.user.is_authenticated
            and thread.followers.filter(pk=request.user.pk).exists(),
            "reason_form": ReasonForm(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
@login_required
def thread_follow(request, network_slug, thread_id):
    network = _network(network_slug)
    try:
        thread = selectors.thread_get(network=network, pk=thread_id)
        services.thread_follow(actor=request.user, thread=thread, follow=request.POST.get("follow") != "0")
    except Thread.DoesNotExist:
        raise Http404(_("There is no such discussion.")) from None
    except DomainError as exc:
        raise PermissionDenied(exc.message) from None
    return redirect("network:thread", network.slug, thread.pk)


def _post(network, post_id) -> Post:
    try:
        return Post.objects.select_related("thread__network").get(pk=post_id, thread__network=network)
    except Post.DoesNotExist:
        raise Http404(_("There is no such message.")) from None


@require_POST
@login_required
def post_report(request, network_slug, post_id):
    network = _network(network_slug)
    post = _post(network, post_id)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Say why the message should be looked at."), field="reason")
        services.post_report(actor=request.user, post=post, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        if exc.code == "forbidden":
            raise PermissionDenied(exc.message) from None
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Thank you: the network's coordinators will look at the message."))
    return redirect("network:thread", network.slug, post.thread_id)


@require_POST
@login_required
def post_hide(request, network_slug, post_id):
    network = _network(network_slug)
    post = _post(network, post_id)
    form = ReasonForm(request.POST)
    hide = request.POST.get("hide") != "0"
    try:
        if hide and not form.is_valid():
            raise DomainError(_("Give the reason for hiding the message."), field="reason")
        services.post_hide(actor=request.user, post=post, reason=request.POST.get("reason", ""), hidden=hide)
    except DomainError as exc:
        if exc.code == "forbidden":
            raise PermissionDenied(exc.message) from None
        messages.error(request, exc.message)
    return redirect("network:thread", network.slug, post.thread_id)


@login_required
def moderation(request, network_slug):
    """The coordinators' list of reported messages: each is hidden (with the reason shown in its place) or kept,
    which closes its reports; every decision is in the audit trail and the latest are listed below."""
    network = _network(network_slug)
    if not selectors.may_moderate(request.user, network):
        raise PermissionDenied(_("Only the network's coordinators may moderate its discussions."))
    form = ModerationForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            post = _post(network, form.cleaned_data["post"])
            try:
                services.post_report_decide(
                    actor=request.user,
                    post=post,
                    decision=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                if exc.code == "forbidden":
                    raise PermissionDenied(exc.message) from None
                add_domain_error(form, exc)
            else:
                messages.success(request, _("The decision was recorded."))
                return redirect("network:moderation", network.slug)
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return render(
        request,
        "network/moderation.html",
        {
            "network": network,
            "posts": selectors.reported_posts(network=network),
            "decisions": selectors.report_decisions(network=network),
        },
        status=400 if form.is_bound and form.errors else 200,
    )
