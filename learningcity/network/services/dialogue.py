"""Dialogue in a network: threads on a practice or in a cluster, replies, mentions of cities, following, e-mail
notifications, moderation (report, hide with a reason) and a rate limit per person."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learningcity.core import audit
from learningcity.core.errors import DomainError
from learningcity.core.models import City, Role, RoleAssignment
from learningcity.core.ratelimit import RateLimited
from learningcity.core.text import normalize

from ..access import can_read_dialogue, is_coordinator, member_city_ids, speaking_city
from ..models import Cluster, Network, Post, PostReport, Practice, Thread

MAX_BODY = 5000
POSTS_PER_WINDOW = (10, 600)  # 10 posts per person in 10 minutes
MENTION_RE = re.compile(r"@([a-z0-9][a-z0-9-]{1,59})")
MARKUP_RE = re.compile(r"<\s*/?\s*(script|iframe|object|embed|style|svg|img|a)\b|javascript:|on\w+\s*=", re.I)


def _clean_body(body: str) -> str:
    body = normalize(body or "")
    if not body:
        raise DomainError(_("Write a message."), field="body")
    if len(body) > MAX_BODY:
        raise DomainError(
            _("The message is too long (%(n)s characters; %(max)s at most).")
            % {"n": len(body), "max": MAX_BODY},
            field="body",
        )
    if MARKUP_RE.search(body):
        raise DomainError(_("Messages are plain text: remove the HTML or script."), field="body")
    return body


def _rate_check(user) -> None:
    limit, window = POSTS_PER_WINDOW
    since = timezone.now() - dt.timedelta(seconds=window)
    if Post.objects.filter(author=user, created_at__gte=since).count() >= limit:
        raise RateLimited(retry_after=window)


def _speaker(actor, network: Network) -> City:
    city = speaking_city(actor, network)
    if city is None:
        raise DomainError(_("Only people of the network's member cities may take part."), code="forbidden")
    return city


def _mentions(body: str, network: Network) -> list[City]:
    slugs = set(MENTION_RE.findall(body))
    if not slugs:
        return []
    return list(City.objects.filter(slug__in=slugs, pk__in=member_city_ids(network)))


def _notify(post: Post, mentioned: list[City]) -> None:
    """E-mail the thread's followers and the administrators of mentioned cities (not the author)."""
    thread = post.thread
    recipients = {
        u.email for u in thread.followers.exclude(pk=post.author_id or 0) if u.email and u.is_active
    }
    if mentioned:
        admins = RoleAssignment.objects.filter(city__in=mentioned, role=Role.CITY_ADMIN).select_related(
            "user"
        )
        recipients |= {a.user.email for a in admins if a.user.email and a.user_id != post.author_id}
    if not recipients:
        return
    subject = _("New message in “%(title)s”") % {"title": thread.title[:80]}
    body = f"{post.city.name}: {post.body[:1000]}"
    sender = getattr(settings, "DEFAULT_FROM_EMAIL", None)
    send_mass_mail([(subject, body, sender, [r]) for r in sorted(recipients)], fail_silently=True)


def thread_create(
    *,
    actor,
    network: Network,
    title: str,
    body: str,
    practice: Practice | None = None,
    cluster: Cluster | None = None,
) -> Thread:
    city = _speaker(actor, network)
    title = normalize(title)
    if not title or len(title) > 200:
        raise DomainError(_("Give the discussion a title (200 characters at most)."), field="title")
    if MARKUP_RE.search(title):
        raise DomainError(_("Messages are plain text: remove the HTML or script."), field="title")
    if (practice is None) == (cluster is None):
        raise DomainError(_("A discussion is about one practice or in one cluster."))
    if cluster is not None and cluster.network_id != network.pk:
        raise DomainError(_("The cluster belongs to another network."), field="cluster")
    if practice is not None and (
        practice.city_id not in member_city_ids(network) or practice.status != "published"
    ):
        raise DomainError(_("The practice is not shared with this network."), field="practice")
    body = _clean_body(body)
    _rate_check(actor)
    with transaction.atomic():
        thread = Thread.objects.create(
            network=network,
            city=city,
            practice=practice,
            cluster=cluster,
            title=title,
            author=actor,
            last_post_at=timezone.now(),
        )
        thread.followers.add(actor)
        audit.record_create(actor=actor, obj=thread)
        post = Post.objects.create(thread=thread, city=city, author=actor, body=body)
        mentioned = _mentions(body, network)
        post.mentions.set(mentioned)
        audit.record_create(actor=actor, obj=post)
    _notify(post, mentioned)
    if practice is not None:
        _notify_practice_city(post, practice)
    return thread


def _notify_practice_city(post: Post, practice: Practice) -> None:
    if practice.city_id == post.city_id:
        return
    admins = RoleAssignment.objects.filter(
        city_id=practice.city_id, role__in=[Role.CITY_ADMIN, Role.AREA_COORDINATOR]
    )
    emails = sorted({a.user.email for a in admins.select_related("user") if a.user.email})
    if emails:
        subject = _("A question about your practice “%(title)s”") % {"title": post.thread.title[:80]}
        sender = getattr(settings, "DEFAULT_FROM_EMAIL", None)
        send_mass_mail([(subject, post.body[:1000], sender, [e]) for e in emails], fail_silently=True)


def post_create(*, actor, thread: Thread, body: str) -> Post:
    city = _speaker(actor, thread.network)
    body = _clean_body(body)
    _rate_check(actor)
    with transaction.atomic():
        post = Post.objects.create(thread=thread, city=city, author=actor, body=body)
        mentioned = _mentions(body, thread.network)
        post.mentions.set(mentioned)
        Thread.objects.filter(pk=thread.pk).update(last_post_at=post.created_at)
        thread.followers.add(actor)
        audit.record_create(actor=actor, obj=post)
    _notify(post, mentioned)
    return post


def thread_follow(*, actor, thread: Thread, follow: bool = True) -> None:
    if actor is None or not actor.is_authenticated or not can_read_dialogue(actor, thread.network):
        raise DomainError(_("Log in to follow discussions."), code="forbidden")
    if follow:
        thread.followers.add(actor)
    else:
        thread.followers.remove(actor)


def post_report(*, actor, post: Post, reason: str) -> PostReport:
    if actor is None or not actor.is_authenticated or not can_read_dialogue(actor, post.thread.network):
        raise DomainError(_("Log in to report a message."), code="forbidden")
    reason = normalize(reason)[:300]
    if not reason:
        raise DomainError(_("Say why the message should be looked at."), field="reason")
    if PostReport.objects.filter(post=post, reporter=actor).exists():
        raise DomainError(_("You have already reported this message."), field="reason")
    with transaction.atomic():
        report = PostReport.objects.create(post=post, city=post.city, reporter=actor, reason=reason)
        audit.record_create(actor=actor, obj=report)
    return report


def post_hide(*, actor, post: Post, reason: str, hidden: bool = True) -> Post:
    """A coordinator of the network hides a message (the reason is shown in its place) or shows it again.
    Hiding closes the message's open reports with the decision "hidden"."""
    if not is_coordinator(actor, post.thread.network):
        raise DomainError(_("Only the network's coordinators may hide messages."), code="forbidden")
    with transaction.atomic():
        _hide(actor=actor, post=post, reason=reason, hidden=hidden)
    return post


def _hide(*, actor, post: Post, reason: str, hidden: bool) -> int:
    reason = normalize(reason)[:300]
    if hidden and not reason:
        raise DomainError(_("Give the reason for hiding the message."), field="reason")
    before = audit.snapshot(post)
    post.hidden_reason = reason if hidden else ""
    post.hidden_at = timezone.now() if hidden else None
    post.save(update_fields=["hidden_reason", "hidden_at", "updated_at"])
    audit.record_update(actor=actor, obj=post, before=before, note=reason)
    return (
        _reports_close(actor=actor, post=post, decision=PostReport.Decision.HIDDEN, note=reason)
        if hidden
        else 0
    )


def _reports_close(*, actor, post: Post, decision: str, note: str) -> int:
    now = timezone.now()
    reports = list(PostReport.objects.select_for_update().filter(post=post, decision=""))
    for report in reports:
        before = audit.snapshot(report)
        report.decision, report.decided_at, report.decided_by = decision, now, actor
        report.save(update_fields=["decision", "decided_at", "decided_by", "updated_at"])
        audit.record_update(actor=actor, obj=report, before=before, note=note)
    return len(reports)


def post_report_decide(*, actor, post: Post, decision: str, reason: str = "") -> int:
    """A coordinator decides on a reported message: hide it (the reason is shown in its place) or keep it as it
    is. Its open reports are closed with the decision, each change audited; returns the reports closed."""
    if not is_coordinator(actor, post.thread.network):
        raise DomainError(_("Only the network's coordinators may hide messages."), code="forbidden")
    if decision not in PostReport.Decision.values:
        raise DomainError(_("Choose whether to hide the message or keep it."), field="decision")
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        if not PostReport.objects.filter(post=post, decision="").exists():
            raise DomainError(_("The message has no open report: someone has already decided."))
        if decision == PostReport.Decision.HIDDEN:
            return _hide(actor=actor, post=post, reason=reason, hidden=True)
        return _reports_close(
            actor=actor, post=post, decision=PostReport.Decision.KEPT, note=normalize(reason)[:300]
        )


def weekly_digest(*, network: Network, now: dt.datetime | None = None) -> int:
    """E-mail each follower the week's new messages in the threads she follows; returns the e-mails sent."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=7)
    posts = (
        Post.objects.filter(thread__network=network, created_at__gte=since, hidden_at__isnull=True)
        .select_related("thread", "city")
        .order_by("thread_id", "created_at")
    )
    by_thread: dict[int, list[Post]] = {}
    for post in posts:
        by_thread.setdefault(post.thread_id, []).append(post)
    if not by_thread:
        return 0
    per_user: dict[str, list[str]] = {}
    for thread in Thread.objects.filter(pk__in=by_thread).prefetch_related("followers"):
        lines = [f"- {thread.title}: " + _("%(n)s new messages") % {"n": len(by_thread[thread.pk])}]
        for user in thread.followers.all():
            if user.email and user.is_active:
                per_user.setdefault(user.email, []).extend(lines)
    subject = _("This week in %(network)s") % {"network": network.name}
    sender = getattr(settings, "DEFAULT_FROM_EMAIL", None)
    messages = [(subject, "\n".join(lines), sender, [email]) for email, lines in sorted(per_user.items())]
    return send_mass_mail(messages, fail_silently=True) if messages else 0
