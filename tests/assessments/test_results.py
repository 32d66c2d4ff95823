"""A test's results as the bureau reads them: absentees (缺考) and item statistics with per-option counts."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import FixedQuestion, SittingQuestion
from assessments.publications import quiz_results_snapshot
from assessments.selectors import item_statistics
from assessments.services import (
    answer_save,
    quiz_publish,
    sitting_start,
    sitting_submit,
)
from officers.services import roles_sync
from tests.factories.assessments import CategoryFactory, QuestionFactory, QuizFactory
from tests.factories.officers import OfficerFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(db):
    roles_sync()
    return OfficerFactory(roles=["trainer"], unit=UnitFactory(name="法制大队"))


@pytest.fixture
def station_quiz(db):
    """A test for 城关派出所 only (one fixed single-choice question, key A), with three officers there
    and one officer of another station."""
    station = UnitFactory(name="城关派出所")
    quiz = QuizFactory(title="城关所法律知识抽测")
    quiz.audience_units.add(station)
    question = QuestionFactory(category=CategoryFactory(name="治安管理"), stem="盘问的最长时间是？")
    FixedQuestion.objects.create(quiz=quiz, question=question, points=Decimal(10))
    sat = OfficerFactory(unit=station, name="张三")
    absent = [OfficerFactory(unit=station, name="李四"), OfficerFactory(unit=station, name="王五")]
    other = OfficerFactory(unit=UnitFactory(name="东城派出所"), name="赵六")
    sitting = sitting_start(quiz=quiz, officer=sat)
    answer_save(sitting_id=sitting.pk, officer=sat, position=0, choice=[sitting.paper.get().option_order.index(0)],
                revision=1)
    sitting_submit(sitting=sitting)
    return {"quiz": quiz, "sat": sat, "absent": absent, "other": other}


def test_results_page_lists_absentees_by_unit(login, station_quiz, trainer):
    quiz = station_quiz["quiz"]
    html = login(trainer).get(reverse("assessments:manage_quiz", args=[quiz.pk])).content.decode()
    section = html[html.index('id="absentees"'):]
    section = section[:section.index("</section>")]
    for officer in station_quiz["absent"]:
        assert f"{officer.name}（{officer.police_number}）" in section
    assert "张三" not in section and "赵六" not in section and "城关派出所" in section
    assert "缺考（2）" in section


def test_export_has_absentees_and_their_count_per_unit(login, station_quiz, trainer):
    quiz = station_quiz["quiz"]
    response = login(trainer).get(reverse("assessments:manage_quiz_export", args=[quiz.pk]))
    book = load_workbook(io.BytesIO(response.content))
    absent = [[c.value for c in row] for row in book["缺考"].iter_rows(min_row=2)]
    assert sorted(r[1] for r in absent) == ["李四", "王五"] and {r[2] for r in absent} == {"城关派出所"}
    units = book["按所队"]
    header = [c.value for c in units[1]]
    station = next(row for row in units.iter_rows(min_row=2, values_only=True) if row[0] == "城关派出所")
    assert station[header.index("缺考")] == 2 and station[header.index("人数")] == 1


def test_published_table_and_bulletin_data_list_absentees(station_quiz, trainer):
    quiz = station_quiz["quiz"]
    snapshot = quiz_results_snapshot(quiz)
    absent_rows = [r for r in snapshot.rows if r["result"] == "缺考"]
    assert {r["name"] for r in absent_rows} == {"李四", "王五"}
    assert all(r["rank"] is None and r["score"] is None for r in absent_rows)
    assert snapshot.unit_rows == [{"unit": "城关派出所", "officers": 1, "passed": 1, "absent": 2,
                                   "average": "100", "pass_rate": "100"}]
    assert ["缺考", "2"] in snapshot.meta["items"] and ["参考人数", "1"] in snapshot.meta["items"]
    publication = quiz_publish(quiz=quiz, by=trainer)
    html = publication_page(publication, trainer)
    assert "李四" in html and "缺考" in html


def publication_page(publication, viewer):
    from django.test import Client

    client = Client()
    client.force_login(viewer, backend="django.contrib.auth.backends.ModelBackend")
    return client.get(reverse("publications:detail", args=[publication.pk])).content.decode()


# --- item statistics ---------------------------------------------------------------------


@pytest.fixture
def answered(db):
    """Ten officers answer one single-choice question (key A): A four times, C five times, B once."""
    question = QuestionFactory(category=CategoryFactory(name="刑事诉讼"), stem="拘留后应当在多少小时内通知家属？")
    easy = QuestionFactory(category=CategoryFactory(name="行政处罚"), stem="人人都会的题")
    quiz = QuizFactory()
    FixedQuestion.objects.create(quiz=quiz, question=question, points=Decimal(5))
    FixedQuestion.objects.create(quiz=quiz, question=easy, points=Decimal(5))
    for chosen in [0, 0, 2, 2, 2, 1, 0, 2, 2, 0]:
        officer = OfficerFactory()
        sitting = sitting_start(quiz=quiz, officer=officer)
        for revision, item in enumerate(SittingQuestion.objects.filter(sitting=sitting), start=1):
            index = chosen if item.question_id == question.pk else 0
            answer_save(sitting_id=sitting.pk, officer=officer, position=item.position,
                        choice=[item.option_order.index(index)], revision=revision)
        sitting_submit(sitting=sitting)
    return quiz, question, easy


def test_item_statistics_count_each_option_and_name_the_lure(answered):
    quiz, question, easy = answered
    stats = {s.question_id: s for s in item_statistics(quiz=quiz)}
    hard = stats[question.pk]
    assert [(o.letter, o.count, o.is_key) for o in hard.options] == [
        ("A", 4, True), ("B", 1, False), ("C", 5, False), ("D", 0, False)]
    assert [o.letter for o in hard.options if o.is_lure] == ["C"]
    assert any("C" in flag and "核对答案" in flag for flag in hard.flags)
    # Everyone answered the easy one right: nothing to flag, whatever its discrimination.
    assert stats[easy.pk].facility == 1.0 and stats[easy.pk].flags == []


def test_no_flag_below_the_minimum_number_of_answers(db):
    question = QuestionFactory(stem="只有六人作答")
    quiz = QuizFactory()
    FixedQuestion.objects.create(quiz=quiz, question=question, points=Decimal(5))
    for chosen in (1, 2, 1, 1, 0, 3):  # B outdraws the key A, but six answers say little
        officer = OfficerFactory()
        sitting = sitting_start(quiz=quiz, officer=officer)
        item = sitting.paper.get()
        answer_save(sitting_id=sitting.pk, officer=officer, position=0, choice=[item.option_order.index(chosen)],
                    revision=1)
        sitting_submit(sitting=sitting)
    (stat,) = item_statistics(quiz=quiz)
    assert stat.sittings == 6 and stat.flags == [] and stat.discrimination is not None


def test_item_statistics_page_shows_option_counts_without_red_badges_for_easy_items(login, answered, trainer):
    quiz, _question, _easy = answered
    html = login(trainer).get(reverse("assessments:manage_items", args=[quiz.pk])).content.decode()
    assert "A ✓：4" in html and "C：5" in html
    assert html.count("tag--red") == 1  # the mis-keyed-looking item only


def test_item_statistics_export(login, answered, trainer):
    quiz, question, _easy = answered
    response = login(trainer).get(reverse("assessments:manage_items_export", args=[quiz.pk]))
    assert response.status_code == 200 and "xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == question.pk)
    assert row[header.index("A")] == 4 and row[header.index("C")] == 5 and row[header.index("标准答案")] == "A"
    assert "核对答案" in row[header.index("需核查")]


def test_officers_cannot_open_item_statistics_or_its_export(login, answered):
    quiz, _question, _easy = answered
    client = login(OfficerFactory())
    for name in ("assessments:manage_items", "assessments:manage_items_export"):
        assert client.get(reverse(name, args=[quiz.pk])).status_code == 403


def test_trainers_running_a_bureau_wide_test_are_not_absent(trainer):
    from assessments.selectors import quiz_absentees

    quiz = QuizFactory()  # the whole bureau
    officer = OfficerFactory(name="钱七")
    assert [a.officer_id for a in quiz_absentees(quiz=quiz)] == [officer.pk]
    quiz.audience_roles = ["trainer"]  # a test for the trainers themselves: they can be absent
    quiz.save()
    assert [a.officer_id for a in quiz_absentees(quiz=quiz)] == [trainer.pk]
