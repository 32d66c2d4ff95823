"""The load test's officers and test, in the database DATABASE_URL names (idempotent).

    DJANGO_SETTINGS_MODULE=config.settings.production DATABASE_URL=… SECRET_KEY=… \\
        .venv/bin/python bench/loadtest/setup_data.py --officers 600

Creates the unit 压力测试大队, officers 800000, 800001, … (password
LOADTEST_PASSWORD, default the demo one) and the test 压力测试·法律知识抽测
(objective questions only, so that every handed-in sitting is graded at once,
open for a day, attempts enough for every round), then prints the test's id as
JSON. Running it again adds officers if more are asked for and keeps the rest.
"""

import argparse
import datetime as dt
import json
import os
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from assessments.models import BlueprintRow, Category, Question, QuestionType, Quiz  # noqa: E402
from assessments.services import category_save, question_create  # noqa: E402
from officers.models import Officer, Unit  # noqa: E402
from officers.roles import UnitKind  # noqa: E402

UNIT = "压力测试大队"
CATEGORY = "压力测试·刑事诉讼"
QUIZ = "压力测试·法律知识抽测"


def officers_ensure(*, count: int, prefix: str, password: str, unit: Unit) -> int:
    """Officers prefix+00000 … ; one password hash shared (hashing hundreds one by one takes minutes)."""
    numbers = [f"{prefix}{i:05d}" for i in range(count)]
    existing = set(Officer.objects.filter(police_number__in=numbers).values_list("police_number", flat=True))
    encoded = make_password(password)
    Officer.objects.bulk_create([
        Officer(police_number=n, name=f"压测民警{n[-3:]}", unit=unit, password=encoded, is_active=True)
        for n in numbers if n not in existing
    ])
    Officer.objects.filter(police_number__in=numbers).update(password=encoded, must_change_password=False, unit=unit)
    return count - len(existing)


def quiz_ensure(*, questions: int, minutes: int, unit: Unit) -> Quiz:
    """The test: `questions` single, multiple and true/false questions drawn from one category."""
    category = Category.objects.filter(name=CATEGORY, parent=None).first() or category_save(
        category=Category(name=CATEGORY))
    have = Question.objects.filter(category=category).count()
    kinds = [QuestionType.SINGLE, QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.TRUE_FALSE]
    for i in range(have, questions * 2):
        kind = kinds[i % len(kinds)]
        options = ("正确选项", "干扰项一", "干扰项二", "干扰项三") if kind != QuestionType.TRUE_FALSE else ("", "", "", "")
        question_create(question=Question(
            category=category, type=kind, difficulty="medium",
            stem=f"压测第{i + 1}题：依照《中华人民共和国刑事诉讼法》，下列说法正确的是？",
            option_a=options[0], option_b=options[1], option_c=options[2], option_d=options[3],
            answer={QuestionType.SINGLE: "A", QuestionType.MULTIPLE: "AC", QuestionType.TRUE_FALSE: "T"}[kind],
            explanation="依法规定。",
        ))
    now = timezone.now()
    quiz = Quiz.objects.filter(title=QUIZ).first()
    if quiz is None:
        quiz = Quiz.objects.create(
            title=QUIZ, opens_at=now - dt.timedelta(hours=1), closes_at=now + dt.timedelta(days=1),
            time_limit_minutes=minutes, pass_mark=Decimal(60), attempts_allowed=10_000,
        )
        BlueprintRow.objects.create(quiz=quiz, category=category, difficulty="", count=questions, points=Decimal(2))
    else:
        # A later run: open again for a day.
        Quiz.objects.filter(pk=quiz.pk).update(opens_at=now - dt.timedelta(hours=1), closes_at=now + dt.timedelta(days=1))
    quiz.audience_units.set([unit])
    return quiz


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=600)
    parser.add_argument("--prefix", default="8")
    parser.add_argument("--questions", type=int, default=12, help="questions on each paper")
    parser.add_argument("--minutes", type=int, default=30, help="the test's time limit")
    args = parser.parse_args()
    password = os.environ.get("LOADTEST_PASSWORD", "Yongjing@2024")
    with transaction.atomic():
        unit, _created = Unit.objects.get_or_create(name=UNIT, defaults={"kind": UnitKind.BRIGADE})
        added = officers_ensure(count=args.officers, prefix=args.prefix, password=password, unit=unit)
        quiz = quiz_ensure(questions=args.questions, minutes=args.minutes, unit=unit)
    print(json.dumps({"quiz_id": quiz.pk, "officers": args.officers, "officers_added": added, "unit": UNIT}))


if __name__ == "__main__":
    main()
