"""The case-review assignment solver against its promises, checked by exhaustive search.

Pure Python: no database. Small random instances are enumerated completely (every
reviewer choosing every set of eligible files), so "an assignment exists" and "the
best possible balance" are facts, not estimates.
"""

import itertools
import random

import pytest
from django.utils import translation

from assessments.case_review.assignment import assignment_solve


def solve(reviewers, files, k, excluded=None, seed=0, **kwargs):
    return assignment_solve(
        reviewer_ids=reviewers,
        file_ids=files,
        per_reviewer=k,
        excluded=excluded or {},
        seed=seed,
        **kwargs,
    )


def assert_valid(plan, reviewers, files, k, excluded):
    assert plan.feasible and plan.problems == []
    assert set(plan.files_of) == set(reviewers)
    for reviewer, chosen in plan.files_of.items():
        assert len(chosen) == k
        assert len(set(chosen)) == k
        assert set(chosen) <= set(files)
        assert not set(chosen) & set(excluded.get(reviewer, ()))
    assert set(plan.load) == set(files)
    for f in files:
        assert plan.load[f] == sum(f in c for c in plan.files_of.values())


def all_load_vectors(reviewers, files, k, excluded):
    """Every load vector reachable by some assignment (exhaustive)."""
    options = [
        list(
            itertools.combinations(
                [f for f in files if f not in excluded.get(r, ())], k
            )
        )
        for r in reviewers
    ]
    vectors = set()
    for choice in itertools.product(*options):
        counts = dict.fromkeys(files, 0)
        for chosen in choice:
            for f in chosen:
                counts[f] += 1
        vectors.add(tuple(counts[f] for f in files))
    return vectors


def random_instance(rng, *, max_reviewers=4, max_files=5, density=0.35):
    reviewers = rng.sample(range(1, 50), rng.randint(1, max_reviewers))
    files = rng.sample(range(100, 150), rng.randint(1, max_files))
    k = rng.randint(1, min(2, len(files)))
    excluded = {r: {f for f in files if rng.random() < density} for r in reviewers}
    return reviewers, files, k, excluded


def unit_instance(rng, *, reviewers=120, files=24, units=8, history=4):
    """Reviewers and files spread over units, plus files audited in earlier rounds."""
    reviewer_ids = list(range(1, reviewers + 1))
    file_ids = list(range(1001, 1001 + files))
    unit_of = {r: rng.randrange(units) for r in reviewer_ids}
    file_unit = {f: i % units for i, f in enumerate(file_ids)}
    excluded = {
        r: {f for f in file_ids if file_unit[f] == unit_of[r]}
        | set(rng.sample(file_ids, history))
        for r in reviewer_ids
    }
    return reviewer_ids, file_ids, excluded


def test_each_reviewer_gets_exactly_k_distinct_eligible_files():
    rng = random.Random(11)
    reviewers, files, excluded = unit_instance(rng)
    for k in (1, 2, 3):
        plan = solve(reviewers, files, k, excluded, seed=5)
        assert_valid(plan, reviewers, files, k, excluded)


def test_a_file_of_the_reviewers_own_unit_or_an_earlier_round_is_never_given():
    # Reviewer 1 may only get 103 and 104; reviewer 2 only 101 and 102.
    excluded = {1: {101, 102}, 2: {103, 104}}
    for seed in range(20):
        plan = solve([1, 2], [101, 102, 103, 104], 2, excluded, seed=seed)
        assert plan.files_of == {1: [103, 104], 2: [101, 102]}
        assert plan.load == {101: 1, 102: 1, 103: 1, 104: 1}


@pytest.mark.parametrize(
    ("reviewers", "files", "k"),
    [(500, 60, 3), (500, 60, 2), (7, 3, 2), (13, 5, 3), (1, 60, 3), (59, 60, 1)],
)
def test_loads_differ_by_at_most_one_when_nothing_is_excluded(reviewers, files, k):
    plan = solve(list(range(reviewers)), list(range(1000, 1000 + files)), k, seed=3)
    assert_valid(plan, list(range(reviewers)), list(range(1000, 1000 + files)), k, {})
    assert max(plan.load.values()) - min(plan.load.values()) <= 1


def test_realistic_round_is_as_balanced_as_possible():
    rng = random.Random(2)
    reviewers, files, excluded = unit_instance(
        rng, reviewers=500, files=60, units=30, history=9
    )
    for k in (2, 3):
        plan = solve(reviewers, files, k, excluded, seed=1)
        assert_valid(plan, reviewers, files, k, excluded)
        assert max(plan.load.values()) == -(-k * len(reviewers) // len(files))
        assert min(plan.load.values()) == k * len(reviewers) // len(files)


def test_balance_equals_the_best_found_by_exhaustive_search():
    """Max − min load is the optimum; in fact the whole sorted load vector is.

    The solver promises the lexicographically balanced loads: the largest load as
    small as possible, then as few files at it as possible, and so on down.
    """
    rng = random.Random(20261201)
    checked = 0
    while checked < 150:
        reviewers, files, k, excluded = random_instance(
            rng, max_reviewers=5, max_files=5
        )
        vectors = all_load_vectors(reviewers, files, k, excluded)
        if not vectors:
            continue
        plan = solve(reviewers, files, k, excluded, seed=rng.randrange(1000))
        assert_valid(plan, reviewers, files, k, excluded)
        loads = [plan.load[f] for f in files]
        assert max(loads) - min(loads) == min(max(v) - min(v) for v in vectors)
        assert max(loads) == min(max(v) for v in vectors)
        assert min(loads) == max(min(v) for v in vectors)
        best = min(sorted(v, reverse=True) for v in vectors)
        assert sorted(loads, reverse=True) == best
        checked += 1


def test_a_file_only_few_may_review_does_not_unbalance_the_others():
    # File 100 may be reviewed by reviewers 1–2 only; the rest share 101–103 evenly.
    reviewers = list(range(1, 11))
    files = [100, 101, 102, 103]
    excluded = {r: {100} for r in reviewers if r > 2}
    plan = solve(reviewers, files, 1, excluded, seed=4)
    assert_valid(plan, reviewers, files, 1, excluded)
    assert plan.load[100] == 2
    assert sorted(plan.load[f] for f in (101, 102, 103)) == [2, 3, 3]


def test_the_solver_finds_an_assignment_exactly_when_one_exists():
    """Exhaustive search over many small random instances, dense and sparse.

    The solver may never say "infeasible" when some assignment exists (a flow
    finds one whenever one exists), nor hand back an invalid one.
    """
    rng = random.Random(9)
    outcomes = {True: 0, False: 0}
    for density in (0.2, 0.45, 0.7):
        for _ in range(120):
            reviewers, files, k, excluded = random_instance(rng, density=density)
            exists = bool(all_load_vectors(reviewers, files, k, excluded))
            plan = solve(reviewers, files, k, excluded, seed=rng.randrange(1000))
            assert plan.feasible == exists
            outcomes[exists] += 1
            if exists:
                assert_valid(plan, reviewers, files, k, excluded)
            else:
                assert plan.files_of == {} and plan.load == {}
                assert {p.code for p in plan.problems} == {"too_few_eligible"}
    assert outcomes[True] > 50 and outcomes[False] > 50  # both sides exercised


def test_same_inputs_and_seed_give_the_same_plan_whatever_the_input_order():
    rng = random.Random(5)
    reviewers, files, excluded = unit_instance(rng)
    plan = solve(reviewers, files, 2, excluded, seed=42)
    again = solve(reviewers, files, 2, excluded, seed=42)
    shuffled_reviewers, shuffled_files = reviewers[::-1], files[:]
    rng.shuffle(shuffled_files)
    reordered = solve(
        shuffled_reviewers,
        shuffled_files,
        2,
        {r: sorted(excluded[r], reverse=True) for r in reviewers},
        seed=42,
    )
    assert plan == again == reordered


def test_another_seed_gives_another_valid_and_equally_balanced_plan():
    rng = random.Random(6)
    reviewers, files, excluded = unit_instance(rng)
    plan = solve(reviewers, files, 2, excluded, seed=1)
    other = solve(reviewers, files, 2, excluded, seed=2)
    assert plan.files_of != other.files_of
    assert_valid(other, reviewers, files, 2, excluded)
    assert sorted(plan.load.values()) == sorted(other.load.values())


def test_ids_outside_the_round_and_duplicates_are_ignored():
    plan = solve([1, 1, 2], [10, 11, 11, 12], 2, {1: {10, 999}}, seed=0)
    assert_valid(plan, [1, 2], [10, 11, 12], 2, {1: {10}})
    assert plan.files_of[1] == [11, 12]


def test_an_infeasible_reviewer_is_named_with_counts_per_reason():
    files = [10, 11, 12, 13, 14]
    excluded = {7: {10, 11, 12, 13}, 8: {10}, 9: {10, 11, 12, 13, 14}}
    reasons = {7: {"own_unit": 3, "earlier_rounds": 1}, 9: {"own_unit": 5}}
    with translation.override("zh-hans"):
        plan = solve([7, 8, 9], files, 2, excluded, excluded_reasons=reasons)
    assert not plan.feasible
    assert plan.files_of == {} and plan.load == {}
    assert [(p.reviewer_id, p.code) for p in plan.problems] == [
        (7, "too_few_eligible"),
        (9, "too_few_eligible"),
    ]
    assert plan.problems[0].reason == (
        "可审案卷只有 1 份（本单位及下属单位 3 份、往期已审 1 份已排除），需要 2 份"
    )
    assert plan.problems[1].reason == (
        "可审案卷只有 0 份（本单位及下属单位 5 份、往期已审 0 份已排除），需要 2 份"
    )


def test_an_infeasible_reviewer_without_reasons_gets_the_excluded_total():
    with translation.override("zh-hans"):
        plan = solve([3], [10, 11, 12], 3, {3: {12}})
    (problem,) = plan.problems
    assert problem.reviewer_id == 3
    assert problem.code == "too_few_eligible"
    assert problem.reason == "可审案卷只有 2 份（已排除 1 份），需要 3 份"


@pytest.mark.parametrize(
    ("reviewers", "files", "k", "code", "reason"),
    [
        ([], [1, 2], 1, "no_reviewers", "本轮没有参加审核的民警。"),
        ([1], [], 1, "no_files", "本轮没有纳入审核的案卷。"),
        (
            [1],
            [5, 6],
            3,
            "per_reviewer_exceeds_files",
            "每人需审核 3 份案卷，但本轮只有 2 份案卷。",
        ),
        (
            [1],
            [5, 6],
            0,
            "per_reviewer_invalid",
            "每人审核的案卷数须至少为 1 份，现为 0 份。",
        ),
    ],
)
def test_a_round_that_cannot_be_assigned_at_all_says_why(
    reviewers, files, k, code, reason
):
    with translation.override("zh-hans"):
        plan = solve(reviewers, files, k)
    assert not plan.feasible
    (problem,) = plan.problems
    assert (problem.reviewer_id, problem.code, problem.reason) == (None, code, reason)


def assert_no_load_can_move_down_two(plan, files, excluded):
    """The optimality certificate: no chain of reviewers can pass one unit of load
    from a file at load h to a file at load h − 2 or less (reviewer r leaves file f
    for file g that r may get and does not have yet)."""
    moves = {f: set() for f in files}
    for reviewer, chosen in plan.files_of.items():
        free = [
            g for g in files if g not in chosen and g not in excluded.get(reviewer, ())
        ]
        for f in chosen:
            moves[f].update(free)
    for start in files:
        seen, frontier = {start}, [start]
        while frontier:
            frontier = [g for f in frontier for g in moves[f] if g not in seen]
            seen.update(frontier)
        assert all(plan.load[g] >= plan.load[start] - 1 for g in seen), start


@pytest.mark.parametrize("seed", range(12))
def test_lopsided_larger_rounds_carry_the_optimality_certificate(seed):
    """Beyond exhaustive search: rounds where the constraints, not the arithmetic,
    decide the loads (files barred to most reviewers, nested eligibility)."""
    rng = random.Random(seed)
    reviewers = list(range(1, rng.randint(20, 80)))
    files = list(range(500, 500 + rng.randint(6, 15)))
    k = rng.randint(1, 3)
    excluded = {}
    for r in reviewers:
        # Most reviewers may only get the first few files; a few may get any.
        reach = k + int((len(files) - k) * rng.random() ** 3)
        eligible = set(files[:reach]) - {f for f in files if rng.random() < 0.1}
        eligible |= set(files[:reach][:k]) if len(eligible) < k else set()
        excluded[r] = set(files) - eligible
    plan = solve(reviewers, files, k, excluded, seed=seed)
    assert_valid(plan, reviewers, files, k, excluded)
    assert_no_load_can_move_down_two(plan, files, excluded)


def test_long_reassignment_chains_are_followed():
    """Reviewer i may get file i or i + 1 only: evening the loads can mean moving
    hundreds of reviewers along the chain (an iterative search, no recursion limit)."""
    n = 1500
    reviewers = list(range(n))
    files = list(range(n))
    excluded = {r: set(files) - {r, r + 1} for r in reviewers}
    for seed in (0, 1):
        plan = solve(reviewers, files, 1, excluded, seed=seed)
        assert_valid(plan, reviewers, files, 1, excluded)
        assert set(plan.load.values()) == {1}
