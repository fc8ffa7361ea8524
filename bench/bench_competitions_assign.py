"""Benchmark: balanced assignment of 10,000 entries among 100 judges with conflicts (target < 2 s), and the
ranking with z-score normalisation of judges' scores (target < 1 s), each beside a naive baseline measured in
the same run on the same data, with the ratio. Checks that no judge is given an entry they are in conflict with.
Writes var/bench/competitions_assign.json; exits 1 when a target is missed or the check fails.

Run: .venv/bin/python bench/bench_competitions_assign.py [--entries 10000 --judges 100]
     (a temporary SQLite file, or DATABASE_URL)
"""

import argparse
import os
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
os.environ["TESTING"] = "1"
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="lc_bench_competitions_"))

import django

django.setup()

import datetime as dt  # noqa: E402

from _report import Report  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

ENTRIES, JUDGES, CATEGORIES, K = 10_000, 100, 4, 3
CONFLICT_SHARE = 0.02  # 2% of (judge, entry) pairs within a jury


def naive_assign(entries, juries, conflicts, k):
    """The obvious way: for each entry, sort its whole jury by current load and take the first k allowed."""
    load = defaultdict(int)
    pairs = []
    for entry_id, category_id in entries:
        ranked = sorted(juries[category_id], key=lambda j: (load[j], j))
        chosen = [j for j in ranked if (j, entry_id) not in conflicts][:k]
        for j in chosen:
            load[j] += 1
            pairs.append((entry_id, j))
    return pairs


def naive_rank(reviews):
    """Baseline: raw averages and a sort, without normalisation."""
    sums = defaultdict(lambda: [0.0, 0])
    for entry, _judge, total in reviews:
        sums[entry][0] += total
        sums[entry][1] += 1
    return sorted(((s / n, e) for e, (s, n) in sums.items()), reverse=True)


def main() -> int:
    global ENTRIES, JUDGES
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=ENTRIES)
    parser.add_argument(
        "--judges", type=int, default=JUDGES, help=f"a multiple of the {CATEGORIES} categories"
    )
    args = parser.parse_args()
    ENTRIES, JUDGES = args.entries, args.judges
    report = Report(
        "competitions_assign", params={"entries": ENTRIES, "judges": JUDGES, "categories": CATEGORIES, "k": K}
    )
    call_command("migrate", verbosity=0)
    from learningcity.competitions.models import (
        Assignment,
        Category,
        Competition,
        Conflict,
        Entry,
        JuryMember,
    )
    from learningcity.competitions.services.assignment import assignments_auto, plan_assignments
    from learningcity.competitions.services.results import rank_entries, results_compute
    from learningcity.core.models import City, Role, RoleAssignment, User

    rnd = random.Random(6)
    city, _ = City.objects.get_or_create(slug="bench-competitions", defaults={"name_vi": "Bench"})
    admin, _ = User.objects.get_or_create(username="bench-admin")
    RoleAssignment.objects.get_or_create(user=admin, city=city, role=Role.CITY_ADMIN)
    now = timezone.now()
    competition = Competition.objects.create(
        city=city,
        slug=f"bench-{int(time.time())}",
        code="BN",
        title_vi="Bench",
        announced_at=now - dt.timedelta(days=3),
        opens_at=now - dt.timedelta(days=2),
        closes_at=now - dt.timedelta(days=1),
        judging_ends_at=now + dt.timedelta(days=10),
        reviews_per_entry=K,
    )
    cats = Category.objects.bulk_create(
        [
            Category(
                city=city, competition=competition, code=f"C{i}", name_vi=f"C{i}", allowed_kinds=["text"]
            )
            for i in range(CATEGORIES)
        ]
    )
    cats = list(Category.objects.filter(competition=competition).order_by("id"))
    User.objects.bulk_create([User(username=f"bench-judge-{competition.pk}-{i}") for i in range(JUDGES)])
    judges = list(User.objects.filter(username__startswith=f"bench-judge-{competition.pk}-").order_by("id"))
    RoleAssignment.objects.bulk_create([RoleAssignment(user=j, city=city, role=Role.JUDGE) for j in judges])
    per = JUDGES // CATEGORIES
    JuryMember.objects.bulk_create(
        [JuryMember(city=city, category=cats[i // per], judge=j) for i, j in enumerate(judges)]
    )
    Entry.objects.bulk_create(
        [
            Entry(
                city=city,
                competition=competition,
                category=cats[i % CATEGORIES],
                entrant_name=f"E{i}",
                title=f"T{i}",
                receipt=f"BN-{competition.pk}-{i}",
                blind_code=f"C{i % CATEGORIES}-{i:05d}",
            )
            for i in range(ENTRIES)
        ],
        batch_size=2000,
    )
    entries = list(Entry.objects.filter(competition=competition).values_list("id", "category_id"))
    juries = defaultdict(list)
    for c, j in JuryMember.objects.filter(category__competition=competition).values_list(
        "category_id", "judge_id"
    ):
        juries[c].append(j)
    conflicts = set()
    for entry_id, category_id in entries:
        for j in juries[category_id]:
            if rnd.random() < CONFLICT_SHARE:
                conflicts.add((j, entry_id))
    Conflict.objects.bulk_create(
        [
            Conflict(city=city, competition=competition, judge_id=j, entry_id=e, source="staff")
            for j, e in conflicts
        ],
        batch_size=2000,
    )
    print(
        f"data: {ENTRIES} entries, {JUDGES} judges in {CATEGORIES} juries, {len(conflicts)} conflicts, k={K}"
    )

    t = time.perf_counter()
    naive = naive_assign(entries, juries, conflicts, K)
    naive_s = time.perf_counter() - t
    t = time.perf_counter()
    plan = plan_assignments(entries=entries, juries=juries, conflicts=conflicts, k=K)
    plan_s = time.perf_counter() - t
    t = time.perf_counter()
    done = assignments_auto(actor=admin, competition=competition)
    service_s = time.perf_counter() - t
    loads = defaultdict(int)
    for _e, j in done.pairs:
        loads[j] += 1
    clashes = conflicts & {(j, e) for e, j in done.pairs}
    report.check("no judge is given an entry they are in conflict with", not clashes, f"{len(clashes)} given")
    print(
        f"assignment, algorithm only:    {plan_s:.3f} s   naive baseline {naive_s:.3f} s   ratio {naive_s / plan_s:.1f}x"
    )
    print(
        f"assignment, full service:      {service_s:.3f} s (read, plan, write {len(done.pairs)} rows; target < 2 s)"
        f"   ratio to naive in-memory {service_s / naive_s:.2f}"
    )
    naive_loads = defaultdict(int)
    for _e, j in naive:
        naive_loads[j] += 1
    print(
        f"  loads min/max {min(loads.values())}/{max(loads.values())} (naive {min(naive_loads.values())}/"
        f"{max(naive_loads.values())}), entries short of judges: {len(done.short)}"
    )

    # Scores: a harsh and a generous half of the jury.
    bias = {j.pk: rnd.gauss(0, 10) for j in judges}
    quality = {e: rnd.gauss(60, 12) for e, _c in entries}
    Assignment.objects.filter(competition=competition).delete()
    Assignment.objects.bulk_create(
        [
            Assignment(
                city=city,
                competition=competition,
                entry_id=e,
                judge_id=j,
                submitted_at=now,
                total=max(0.0, min(100.0, quality[e] + bias[j] + rnd.gauss(0, 5))),
            )
            for e, j in plan.pairs
        ],
        batch_size=2000,
    )
    reviews = list(
        Assignment.objects.filter(competition=competition).values_list("entry_id", "judge_id", "total")
    )
    t = time.perf_counter()
    naive_rank(reviews)
    base_s = time.perf_counter() - t
    t = time.perf_counter()
    rank_entries(reviews, normalise=True)
    rank_s = time.perf_counter() - t
    t = time.perf_counter()
    n = results_compute(actor=admin, competition=competition)
    compute_s = time.perf_counter() - t
    print(
        f"ranking with z-scores, in memory: {rank_s:.3f} s   raw-average baseline {base_s:.3f} s   ratio {rank_s / base_s:.1f}x"
    )
    print(
        f"ranking, full service:          {compute_s:.3f} s (read {len(reviews)} reviews, rank, write {n} results; target < 1 s)"
    )
    report.figure(
        "assignment, algorithm only",
        plan_s,
        "s",
        baseline=naive_s,
        baseline_label="naive sort per entry, in memory",
    )
    report.figure(
        "assignment, full service", service_s, "s", target=2, baseline=naive_s,
        note=f"read, plan, write {len(done.pairs)} rows",
    )  # fmt: skip
    report.figure(
        "ranking with z-scores, in memory", rank_s, "s", baseline=base_s, baseline_label="raw averages"
    )
    report.figure(
        "ranking, full service", compute_s, "s", target=1, baseline=base_s,
        note=f"read {len(reviews)} reviews, rank, write {n} results",
    )  # fmt: skip
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
