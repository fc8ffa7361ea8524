"""The library of good practice: search with facets, a practice, its translations, adoptions, results."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import get_language

from learningcity.core.indicators import indicator_results
from learningcity.core.models import City
from learningcity.core.text import fold

from ..models import (
    Membership,
    Network,
    Practice,
    PracticeTag,
    PracticeText,
    SharedValue,
)
from ..search_index import MIN_WORD, fts_match
from .base import FACET_SIZE, PAGE_SIZE, name_key, networks_of


# -------------------------------------------------------------------------------------------- practices
@dataclass
class PracticeFilters:
    q: str = ""
    cluster: str = ""
    city: str = ""
    kf: str = ""
    sdg: str = ""
    award: str = ""
    lang: str = ""


@dataclass
class SearchPage:
    practices: list[Practice]
    total: int
    page: int
    pages: int
    facets: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)


def _published_in(network: Network) -> QuerySet[Practice]:
    members = Membership.objects.filter(network=network, left_on__isnull=True, city__is_public=True)
    return Practice.objects.filter(status="published", city_id__in=members.values("city_id"))


def _with_texts(qs: QuerySet[Practice]) -> QuerySet[Practice]:
    return qs.select_related("city", "adopted_from__city").prefetch_related(
        Prefetch("texts", queryset=PracticeText.objects.order_by("language")), "clusters"
    )


def text_in(practice: Practice, lang: str | None = None) -> PracticeText | None:
    """The practice's text in the reader's language, else the original."""
    lang = (lang or get_language() or "vi")[:2]
    texts = list(practice.texts.all())
    return (
        next((t for t in texts if t.language == lang), None)
        or next((t for t in texts if t.language == practice.original_language), None)
        or (texts[0] if texts else None)
    )


FACET_KINDS = ("cluster", "kf", "sdg", "award", "lang")


def practice_search(*, network: Network, filters: PracticeFilters, page: int = 1) -> SearchPage:
    """Published practices of the network's member cities: accent-insensitive words (all must match, through the
    trigram index) and facet filters. One statement answers the counts of every facet, from the narrow table of
    (practice, tag) rows through its index, and the requested page's ids, newest first (the list is cut at the page
    before anything is joined to it); then the page is read by primary key, with its texts and clusters."""
    members = Membership.objects.filter(network=network, left_on__isnull=True, city__is_public=True)
    words = fold(filters.q).split()[:8]
    member_ids = members.values("city_id")
    # Without words a practice's membership is checked per row (EXISTS), so the newest are walked in index order
    # and the walk stops at the page; the matches of words (found through the text index) and the facet rows (one
    # GROUP BY in tag order) check their city in the list of members.
    matches = Practice.objects.filter(status="published")
    if words:
        matches = matches.filter(city_id__in=member_ids)
    else:
        matches = matches.filter(Exists(members.filter(city_id=OuterRef("city_id"))))
    tag_rows = PracticeTag.objects.filter(city_id__in=member_ids)
    if filters.city:
        city_ids = City.objects.filter(slug=filters.city).values("pk")
        matches = matches.filter(city_id__in=city_ids)
        tag_rows = tag_rows.filter(city_id__in=city_ids)
    for kind in FACET_KINDS:
        value = getattr(filters, kind)
        if value:
            having = PracticeTag.objects.filter(tag=f"{kind}:{value}").values("practice_id")
            matches = matches.filter(pk__in=having)
            tag_rows = tag_rows.filter(practice_id__in=having)
    wanted = max(1, page)
    if words:
        tags, ids = _counts_of_matches(_with_words(matches, words), wanted)
    else:
        tags, ids = _counts_of_tags(tag_rows, _newest(matches.values("id", "updated_at"), wanted))
    cities = Counter({int(tag[5:]): n for tag, n in tags.items() if tag.startswith("city:")})
    facets = _facets(network, cities, tags)
    total = sum(cities.values())
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(wanted, pages)
    if page != wanted:  # a page past the end: the last one
        ids = list(_newest(_with_words(matches, words).values_list("pk", flat=True), page))
    by_id = {p.pk: p for p in _with_texts(Practice.objects.filter(pk__in=ids))}
    rows = [by_id[i] for i in ids if i in by_id]
    for practice in rows:
        practice.text = text_in(practice)  # type: ignore[attr-defined]
    return SearchPage(practices=rows, total=total, page=page, pages=pages, facets=facets)


def _newest(qs: QuerySet, page: int) -> QuerySet:
    """The page's practices, newest first (the index of status and updated_at walks them in that order)."""
    return qs.order_by("-updated_at", "-pk")[(page - 1) * PAGE_SIZE :][:PAGE_SIZE]


def _with_words(qs: QuerySet[Practice], words: list[str]) -> QuerySet[Practice]:
    """Every word must be in the practice's folded text. On SQLite the words of three letters or more are found
    through the FTS5 trigram index (search_index.py), the same substring match without reading every text;
    PostgreSQL's LIKE uses its trigram index by itself."""
    indexed = [w for w in words if len(w) >= MIN_WORD] if connection.vendor == "sqlite" else []
    if indexed:
        qs = qs.filter(
            pk__in=RawSQL(
                "SELECT rowid FROM network_practice_fts WHERE network_practice_fts MATCH %s",
                [fts_match(indexed)],
            )
        )
    for word in words:
        if word not in indexed:
            qs = qs.filter(search_text__fcontains=word)
    return qs


# The requested page's ids, ranked in the database: the order of rows in a UNION is not kept.
PAGE_SQL = (
    "SELECT 'p', CAST(id AS TEXT), row_number() OVER (ORDER BY updated_at DESC, id DESC) FROM ({}) AS page"
)


def _counts_of_tags(tag_rows: QuerySet, page_qs: QuerySet) -> tuple[Counter, list[int]]:
    """No words: the count per tag straight from the facet rows (an index-only GROUP BY over the member cities'
    rows) and the page's ids, in one statement."""
    counts_sql, counts_params = (
        tag_rows.values("tag").annotate(n=Count("*")).order_by().query.sql_with_params()
    )
    page_sql, page_params = page_qs.query.sql_with_params()
    query = f"SELECT 't', tag, n FROM ({counts_sql}) AS counts UNION ALL {PAGE_SQL.format(page_sql)}"  # noqa: S608 - Django's own SQL
    return _read_counts(query, [*counts_params, *page_params])


def _counts_of_matches(matches: QuerySet, page: int) -> tuple[Counter, list[int]]:
    """Words: the matches are found once (a materialised CTE of their ids), their facet rows counted through the
    (practice, tag) index, and the page's ids cut from them, in one statement."""
    sql, params = matches.order_by().values("id", "updated_at").query.sql_with_params()
    query = (
        f"WITH m AS MATERIALIZED ({sql}) "  # noqa: S608 - Django's own SQL, parameters kept apart
        "SELECT 't', tag, count(*) FROM network_practicetag WHERE practice_id IN (SELECT id FROM m) GROUP BY tag "
        "UNION ALL "
        + PAGE_SQL.format("SELECT id, updated_at FROM m ORDER BY updated_at DESC, id DESC LIMIT %s OFFSET %s")
    )
    return _read_counts(query, [*params, PAGE_SIZE, (page - 1) * PAGE_SIZE])


def _read_counts(query: str, params: list) -> tuple[Counter, list[int]]:
    tags: Counter = Counter()
    ranked = []
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        for kind, key, n in cursor.fetchall():
            if kind == "t":
                tags[key] = n
            else:
                ranked.append((n, int(key)))
    return tags, [pk for _rank, pk in sorted(ranked)]


def _facets(network: Network, cities: Counter, tags: Counter) -> dict[str, list[tuple[str, str, int]]]:
    from ..models import LANGUAGE_NAMES

    tags.pop("", None)
    clusters = {c.code: c.name for c in network.clusters.all()}
    by_kind: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    for tag, n in tags.items():
        kind, _sep, value = tag.partition(":")
        if kind == "city":  # named below, the most frequent only
            continue
        if kind == "cluster":
            if value not in clusters:
                continue
            label = clusters[value]
        elif kind == "lang":
            label = str(LANGUAGE_NAMES.get(value, value))
        else:
            label = value
        by_kind[kind].append((value, label, n))
    en = (get_language() or "vi").startswith("en")
    top = [pk for pk, _n in cities.most_common(FACET_SIZE)]
    names = City.objects.filter(pk__in=top).values_list("pk", "slug", "name_vi", "name_en")
    by_kind["city"] = [
        (slug, (name_en if en and name_en else name_vi), cities[pk]) for pk, slug, name_vi, name_en in names
    ]
    # The most frequent values of each facet (a city facet of 300 names helps nobody on a phone).
    return {
        kind: sorted(items, key=lambda item: (-item[2], name_key(item[1])))[:FACET_SIZE]
        for kind, items in by_kind.items()
    }


def remote_practices(*, network: Network, q: str = "") -> list[dict[str, Any]]:
    """Practices harvested from the network's cities on their own installations (the last good copy of each feed),
    whose title, summary or city has every word of `q` (accents aside), with where and when they were copied.
    They have no facets: the library shows them beside its own results."""
    words = fold(q).split()[:8]
    found = []
    for remote in network.remote_cities.exclude(harvested_at=None).order_by("name", "slug"):
        for item in remote.payload.get("practices", []):
            text = fold(f"{item.get('title', '')} {item.get('summary', '')} {remote.name} {remote.slug}")
            if all(word in text for word in words):
                found.append({**item, "city": remote.name or remote.slug, "remote": remote})
    return found[:PAGE_SIZE]


def practice_get(*, network: Network, city_slug: str, slug: str) -> Practice:
    practice = (
        _with_texts(_published_in(network))
        .select_related("adopted_from__city")
        .get(city__slug=city_slug, slug=slug)
    )
    practice.text = text_in(practice)  # type: ignore[attr-defined]
    return practice


def practice_list_for_city(*, city: City, published_only: bool = True) -> list[Practice]:
    qs = Practice.objects.for_city(city)
    if published_only:
        qs = qs.filter(status="published")
    rows = list(_with_texts(qs).order_by("slug"))
    for practice in rows:
        practice.text = text_in(practice)  # type: ignore[attr-defined]
    return rows


def practice_get_for_city(*, city: City, pk: int) -> Practice:
    practice = _with_texts(Practice.objects.for_city(city)).get(pk=pk)
    practice.text = text_in(practice)  # type: ignore[attr-defined]
    return practice


def translation_status(practice: Practice, languages: list[str]) -> list[tuple[str, str, str]]:
    """(language, its name, status label) for the original and each of the networks' languages."""
    from ..models import LANGUAGE_NAMES, TranslationStatus

    texts = {t.language: t for t in practice.texts.all()}
    wanted = [practice.original_language] + [lang for lang in languages if lang != practice.original_language]
    out = []
    for lang in dict.fromkeys(wanted):
        text = texts.get(lang)
        status = str(TranslationStatus(text.status).label) if text else ""
        out.append((lang, str(LANGUAGE_NAMES.get(lang, lang)), status))
    return out


def adoptions_of(practice: Practice) -> list[Practice]:
    rows = list(_with_texts(practice.adoptions.filter(status="published")))
    for row in rows:
        row.text = text_in(row)  # type: ignore[attr-defined]
        row.results = live_results(row)  # type: ignore[attr-defined]
    return rows


def live_results(practice: Practice) -> list[dict[str, Any]]:
    """The practice's results as the city's live shared figures (not pasted numbers): latest year of each."""
    codes = list(practice.indicator_codes)
    if not codes:
        return []
    values = SharedValue.objects.filter(city_id=practice.city_id, indicator_code__in=codes).order_by(
        "indicator_code", "-year"
    )
    latest: dict[str, SharedValue] = {}
    for row in values:
        latest.setdefault(row.indicator_code, row)
    indicators = indicator_results().indicators_by_code(codes=codes)
    return [{"code": code, "indicator": indicators.get(code), "value": latest.get(code)} for code in codes]


def languages_for(city: City) -> list[str]:
    langs: list[str] = ["vi", "en"]
    for network in networks_of(city=city):
        langs += [lang for lang in network.languages if lang not in langs]
    return langs


def adoptable_practices(*, city: City) -> list[Practice]:
    """Published practices of other cities in the city's networks."""
    members = Membership.objects.filter(
        network__memberships__city=city, network__memberships__left_on__isnull=True, left_on__isnull=True
    ).values("city_id")
    rows = list(
        _with_texts(
            Practice.objects.filter(status="published", city_id__in=members).exclude(city=city)
        ).order_by("city__slug", "slug")[:200]
    )
    for row in rows:
        row.text = text_in(row)  # type: ignore[attr-defined]
    return rows
