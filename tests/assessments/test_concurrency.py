"""Two tabs at once: answers saved concurrently never go backwards; one sitting per test."""

import threading

import pytest
from django.db import connection

from assessments.models import Sitting, SittingQuestion
from assessments.services import answer_save, sitting_start
from tests.factories.assessments import (
    BlueprintRowFactory,
    CategoryFactory,
    QuestionFactory,
    QuizFactory,
)
from tests.factories.officers import OfficerFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _run(workers):
    errors = []

    def wrap(fn):
        def inner():
            try:
                fn()
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                connection.close()
        return inner

    threads = [threading.Thread(target=wrap(w)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


@pytest.fixture
def setup():
    category = CategoryFactory(name="刑事诉讼")
    for i in range(10):
        QuestionFactory(category=category, stem=f"并发题{i}")
    quiz = QuizFactory()
    BlueprintRowFactory(quiz=quiz, category=category, count=5)
    return quiz, OfficerFactory()


def test_concurrent_saves_from_two_tabs_keep_the_newest(setup):
    quiz, officer = setup
    sitting = sitting_start(quiz=quiz, officer=officer)
    # Tab A stamps odd revisions and picks option 1; tab B even revisions, option 2;
    # they interleave and arrive in any order.
    def tab(offset, option):
        def run():
            for n in range(30):
                for position in range(5):
                    answer_save(sitting_id=sitting.pk, officer=officer, position=position,
                                choice=[option], revision=n * 2 + offset)
        return run

    _run([tab(1, 1), tab(2, 2)])
    for item in SittingQuestion.objects.filter(sitting=sitting):
        assert item.revision == 59 + 1  # the newest stamp of all: tab B's last
        assert item.choice == [item.option_order[2]]


def test_stale_save_arriving_late_is_ignored(setup):
    quiz, officer = setup
    sitting = sitting_start(quiz=quiz, officer=officer)
    # The race is repeated on every question of the paper: one lucky ordering
    # must not hide a lost update.
    for position in range(5):
        barrier = threading.Barrier(2)

        def newer(position=position, barrier=barrier):
            barrier.wait()
            answer_save(sitting_id=sitting.pk, officer=officer, position=position, choice=[3], revision=2_000)

        def older(position=position, barrier=barrier):
            barrier.wait()
            answer_save(sitting_id=sitting.pk, officer=officer, position=position, choice=[0], revision=1_000)

        _run([newer, older])
        item = SittingQuestion.objects.get(sitting=sitting, position=position)
        assert item.revision == 2_000 and item.choice == [item.option_order[3]]


def test_two_tabs_starting_at_once_share_one_sitting(setup):
    quiz, officer = setup
    started = []
    barrier = threading.Barrier(2)

    def start():
        barrier.wait()
        started.append(sitting_start(quiz=quiz, officer=officer).pk)

    _run([start, start])
    assert Sitting.objects.filter(quiz=quiz, officer=officer).count() == 1
    assert len(set(started)) == 1
