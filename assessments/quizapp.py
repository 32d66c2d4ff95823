"""Moving a django-quiz-app site onto the platform: its bank, its quizzes and its history.

Reads a `dumpdata` export (apps quiz, multichoice, true_false, essay; `auth.user`
if included) and brings over, in one transaction:

- categories and sub-categories as a two-level tree (under a root if given);
- questions, with HTML in stems, options and explanations made clean text;
- each quiz as a closed test whose questions are fixed, its pass mark and
  settings mapped (what has no counterpart is named in the summary);
- the completed sittings of users who match an officer (a mapping file, else
  the user name taken as a police number) as historical results, marked
  against the key; the others are listed with why.

Running it again adds nothing twice: a question already in its category, a test
of the same title, are reported as already there.
"""

import csv
import datetime as dt
import html
import io
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from .models import (
    OPTION_LETTERS,
    Category,
    Difficulty,
    FixedQuestion,
    Question,
    QuestionStatus,
    QuestionType,
    Quiz,
    ReviewPolicy,
    Sitting,
    SittingQuestion,
    SittingStatus,
)
from .services import (
    _sitting_close,
    category_get_or_create_path,
    question_create,
    question_score,
)

# The kinds of objects counted in the summary, in the order printed.
KINDS = ("categories", "questions", "options", "quizzes", "sittings", "progress", "users")
_BLOCK_TAGS = re.compile(r"(?i)<\s*(br|/p|/div|/li|/h[1-6]|/tr)\s*/?\s*>")


def clean_text(value) -> str:
    """HTML as plain text: tags removed, entities decoded, line breaks kept, spaces tidied."""
    text = _BLOCK_TAGS.sub("\n", str(value or ""))
    text = html.unescape(strip_tags(text)).replace("\xa0", " ")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


@dataclass
class KindCount:
    read: int = 0
    imported: int = 0
    already: int = 0
    skipped: int = 0


@dataclass
class QuizAppImport:
    """What a run read, brought over, found already there and left out (with why)."""

    counts: dict[str, KindCount] = field(default_factory=lambda: {k: KindCount() for k in KINDS})
    reasons: list[str] = field(default_factory=list)  # one line per object left out, and unmapped settings
    unmapped: list[str] = field(default_factory=list)

    def skip(self, kind: str, reason: str) -> None:
        self.counts[kind].skipped += 1
        self.reasons.append(reason)

    @property
    def created(self) -> int:  # questions, as the command printed before
        return self.counts["questions"].imported

    def summary_lines(self) -> list[str]:
        labels = {
            "categories": _("categories"), "questions": _("questions"), "options": _("options"),
            "quizzes": _("quizzes (tests)"), "sittings": _("sittings (results)"), "progress": _("progress records"),
            "users": _("users"),
        }
        lines = [_("django-quiz-app import:")]
        for kind in KINDS:
            c = self.counts[kind]
            lines.append(_("%(kind)s: %(read)s read, %(imported)s imported, %(already)s already here, "
                           "%(skipped)s left out") % {"kind": labels[kind], "read": c.read, "imported": c.imported,
                                                      "already": c.already, "skipped": c.skipped})
        return lines


def _mapping(text: str | None) -> dict[str, str]:
    """A mapping file: CSV rows of (old user id or user name, police number); a header row is allowed."""
    if not text:
        return {}
    mapping = {}
    for row in csv.reader(io.StringIO(text)):
        if len(row) >= 2 and row[0].strip() and row[1].strip():
            mapping[row[0].strip()] = row[1].strip()
    return mapping


def _moment(value, default):
    moment = parse_datetime(value) if isinstance(value, str) else None
    if moment is None:
        return default
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, dt.UTC)


def _ids(value) -> list[int]:
    return [int(p) for p in str(value or "").split(",") if p.strip().isdigit()]


@transaction.atomic
def quizapp_import_all(*, data: bytes | str, root: str = "", user_map: str | None = None) -> QuizAppImport:
    """Bring a django-quiz-app site over (see the module's docstring); all of it or, on an error, nothing."""
    from officers.models import Officer

    records = json.loads(data)
    if not isinstance(records, list):
        raise ValueError(_("a dumpdata file holds a list of objects"))
    by_model: dict[str, dict] = defaultdict(dict)
    answers: dict[int, list[dict]] = defaultdict(list)
    for record in records:
        if not isinstance(record, dict):
            raise ValueError(_("a dumpdata file holds a list of objects"))
        model = record.get("model", "")
        if model == "multichoice.answer":
            answers[record["fields"]["question"]].append({"pk": record["pk"], **record["fields"]})
        else:
            by_model[model][record.get("pk")] = record.get("fields", {})
    result = QuizAppImport()
    counts = result.counts
    now = timezone.now()

    # --- categories and questions ------------------------------------------------------
    category_names = {pk: clean_text(f.get("category")) for pk, f in by_model["quiz.category"].items()}
    subcategories = by_model["quiz.subcategory"]
    counts["categories"].read = len(category_names) + len(subcategories)
    cache: dict = {}
    before = Category.objects.count()
    root_new = bool(root) and not Category.objects.filter(parent=None, name=root).exists()
    base = [root] if root else []
    questions: dict[int, Question] = {}  # old question pk -> the bank's question
    for pk, fields in sorted(by_model["quiz.question"].items()):
        counts["questions"].read += 1
        content = clean_text(fields.get("content"))
        names = base + [category_names.get(fields.get("category")) or _("Uncategorised")]
        sub = subcategories.get(fields.get("sub_category"))
        if sub and clean_text(sub.get("sub_category")):
            names.append(clean_text(sub["sub_category"]))
        question = Question(stem=content, explanation=clean_text(fields.get("explanation")),
                            difficulty=Difficulty.MEDIUM, status=QuestionStatus.ACTIVE)
        options = sorted(answers.get(pk, []), key=lambda a: a["pk"])
        counts["options"].read += len(options)
        if pk in by_model["multichoice.mcquestion"]:
            if not 2 <= len(options) <= len(OPTION_LETTERS):
                result.skip("questions", _("Question %(pk)s: %(count)s options (2 to 6 are supported).")
                            % {"pk": pk, "count": len(options)})
                counts["options"].skipped += len(options)
                continue
            correct = "".join(OPTION_LETTERS[i] for i, a in enumerate(options) if a.get("correct"))
            if not correct:
                result.skip("questions", _("Question %(pk)s: no option is marked correct.") % {"pk": pk})
                counts["options"].skipped += len(options)
                continue
            question.type = QuestionType.MULTIPLE if len(correct) > 1 else QuestionType.SINGLE
            question.answer = correct
            for letter, option in zip(OPTION_LETTERS, options, strict=False):
                setattr(question, f"option_{letter.lower()}", clean_text(option.get("content"))[:500])
        elif pk in by_model["true_false.tf_question"]:
            question.type = QuestionType.TRUE_FALSE
            question.answer = "T" if by_model["true_false.tf_question"][pk].get("correct") else "F"
        elif pk in by_model["essay.essay_question"]:
            question.type = QuestionType.ESSAY
        else:
            result.skip("questions", _("Question %(pk)s: its type is not in the export.") % {"pk": pk})
            continue
        if not content:
            result.skip("questions", _("Question %(pk)s: the question text is empty.") % {"pk": pk})
            counts["options"].skipped += len(options)
            continue
        category = category_get_or_create_path(names=names, cache=cache)
        found = Question.objects.filter(category=category, stem=content).first()
        if found is not None:
            counts["questions"].already += 1
            counts["options"].already += len(options)
            questions[pk] = found
            continue
        question.category = category
        questions[pk] = question_create(question=question)
        counts["questions"].imported += 1
        counts["options"].imported += len(options)
    # The root (if new) is not one of the dump's categories; a dump's category met again is "already here".
    counts["categories"].imported = max(Category.objects.count() - before - root_new, 0)
    counts["categories"].already = max(counts["categories"].read - counts["categories"].imported, 0)

    # --- users -------------------------------------------------------------------------
    mapping = _mapping(user_map)
    users = dict(by_model["auth.user"])
    user_ids = set(users) | {f.get("user") for f in by_model["quiz.sitting"].values()} | {
        f.get("user") for f in by_model["quiz.progress"].values()}
    user_ids.discard(None)
    counts["users"].read = len(user_ids)
    officers: dict[int, Officer] = {}
    for user_id in sorted(user_ids):
        username = (users.get(user_id) or {}).get("username") or ""
        number = mapping.get(str(user_id)) or (mapping.get(username) if username else None) or username
        officer = Officer.objects.filter(police_number=number).first() if number else None
        if officer is None:
            who = f"{user_id}（{username}）" if username else str(user_id)
            if not number:
                why = _("not in the export and not in the mapping file")
            else:
                why = _("no officer has the police number %(number)s") % {"number": number}
            result.skip("users", _("User %(who)s: %(why)s; their sittings are left out.") % {"who": who, "why": why})
            continue
        officers[user_id] = officer
        counts["users"].imported += 1

    # --- quizzes -----------------------------------------------------------------------
    sittings_of: dict[int, list[tuple[int, dict]]] = defaultdict(list)
    for pk, fields in by_model["quiz.sitting"].items():
        sittings_of[fields.get("quiz")].append((pk, fields))
    questions_of: dict[int, list[int]] = defaultdict(list)
    for pk, fields in sorted(by_model["quiz.question"].items()):
        for quiz_pk in fields.get("quiz") or []:
            questions_of[quiz_pk].append(pk)
    quizzes: dict[int, Quiz] = {}
    for pk, fields in sorted(by_model["quiz.quiz"].items()):
        counts["quizzes"].read += 1
        title = clean_text(fields.get("title"))[:200] or _("Test %(pk)s") % {"pk": pk}
        if Quiz.objects.filter(title=title).exists():
            counts["quizzes"].already += 1
            for _pk, _f in sittings_of.get(pk, []):
                counts["sittings"].read += 1
                counts["sittings"].already += 1
            sittings_of.pop(pk, None)
            continue
        fixed = [questions[q] for q in questions_of.get(pk, []) if q in questions]
        if not fixed:
            result.skip("quizzes", _("Quiz “%(title)s”: none of its questions could be imported.") % {"title": title})
            continue
        starts = [_moment(f.get("start"), None) for _pk, f in sittings_of.get(pk, [])]
        ends = [_moment(f.get("end"), None) for _pk, f in sittings_of.get(pk, [])]
        # Closed: open from the first sitting to the last (a quiz nobody sat: the minute before the import).
        opens = min([s for s in starts if s] or [now - dt.timedelta(minutes=1)])
        closes = max([e for e in ends if e] + [opens + dt.timedelta(minutes=1)])
        per_user = Counter(f.get("user") for _pk, f in sittings_of.get(pk, []))
        attempts = 1 if fields.get("single_attempt") else max([1, *per_user.values()])
        quiz = Quiz(
            title=title, description=clean_text(fields.get("description")),
            opens_at=opens, closes_at=closes,
            pass_mark=Decimal(min(max(int(fields.get("pass_mark") or 0), 0), 100)),
            attempts_allowed=attempts, review_policy=ReviewPolicy.AFTER_CLOSE,
        )
        quiz.full_clean(exclude=["audience_units"])
        quiz.save()
        FixedQuestion.objects.bulk_create([
            FixedQuestion(quiz=quiz, question=q, points=Decimal(1), sort_order=i) for i, q in enumerate(fixed)])
        quizzes[pk] = quiz
        counts["quizzes"].imported += 1
        unmapped = []
        if fields.get("random_order"):
            unmapped.append(_("random_order (questions in random order): the fixed questions keep the dump's order"))
        if fields.get("max_questions"):
            unmapped.append(_("max_questions = %(n)s: every question of the quiz is fixed (%(count)s)")
                            % {"n": fields["max_questions"], "count": len(fixed)})
        if not fields.get("single_attempt"):
            unmapped.append(_("unlimited attempts: %(n)s allowed (the most any user made)") % {"n": attempts})
        if fields.get("answers_at_end") or fields.get("exam_paper"):
            unmapped.append(_("answers_at_end / exam_paper: answers are shown after the test closes, and every sitting is kept"))
        for name in ("success_text", "fail_text", "url"):
            if clean_text(fields.get(name)):
                unmapped.append(_("%(name)s “%(value)s”: no counterpart") % {"name": name, "value": clean_text(fields[name])[:40]})
        if fields.get("draft"):
            unmapped.append(_("draft: imported as a closed test all the same"))
        unmapped.append(_("no time limit in django-quiz-app: %(minutes)s minutes set") % {"minutes": quiz.time_limit_minutes})
        missing = len(questions_of.get(pk, [])) - len(fixed)
        if missing:
            unmapped.append(_("%(count)s of its questions were left out (why: below)") % {"count": missing})
        result.unmapped.append(_("Quiz “%(title)s”: %(what)s.") % {"title": title, "what": "；".join(unmapped)})

    # --- sittings ------------------------------------------------------------------------
    for quiz_pk, sittings in sorted(sittings_of.items(), key=lambda kv: kv[0] or 0):
        quiz = quizzes.get(quiz_pk)
        attempt_of: Counter = Counter()
        for pk, fields in sorted(sittings, key=lambda s: (str(s[1].get("start") or ""), s[0])):
            counts["sittings"].read += 1
            user_id = fields.get("user")
            if quiz is None:
                result.skip("sittings", _("Sitting %(pk)s: its quiz was not imported.") % {"pk": pk})
                continue
            if user_id not in officers:
                result.skip("sittings", _("Sitting %(pk)s: user %(user)s matches no officer.") % {"pk": pk, "user": user_id})
                continue
            if not fields.get("complete"):
                result.skip("sittings", _("Sitting %(pk)s: never handed in (not complete).") % {"pk": pk})
                continue
            order = [q for q in _ids(fields.get("question_order")) if q in questions] or [
                q for q in questions_of.get(quiz_pk, []) if q in questions]
            try:
                given = json.loads(fields.get("user_answers") or "{}")
            except ValueError:
                given = {}
            officer = officers[user_id]
            attempt_of[user_id] += 1
            start = _moment(fields.get("start"), quiz.opens_at)
            end = _moment(fields.get("end"), start)
            sitting = Sitting.objects.create(
                quiz=quiz, officer=officer, attempt=attempt_of[user_id], status=SittingStatus.MARKING, seed=0,
                started_at=start, deadline=max(end, start), submitted_at=max(end, start),
                max_score=Decimal(len(order)),
            )
            paper = []
            for position, old_pk in enumerate(order):
                question = questions[old_pk]
                version = question.current_version
                answer = given.get(str(old_pk))
                choice, text = [], ""
                if version.type == QuestionType.ESSAY:
                    text = clean_text(answer)
                elif version.type == QuestionType.TRUE_FALSE:
                    if str(answer).lower() in ("true", "false"):
                        choice = [0 if str(answer).lower() == "true" else 1]
                else:
                    option_pks = [a["pk"] for a in sorted(answers.get(old_pk, []), key=lambda a: a["pk"])]
                    if isinstance(answer, str) and answer.strip().startswith("["):
                        try:
                            answer = json.loads(answer)
                        except ValueError:
                            answer = []
                    chosen = answer if isinstance(answer, list) else [answer]
                    choice = sorted({option_pks.index(int(a)) for a in chosen
                                     if str(a).isdigit() and int(a) in option_pks})
                score = (None if text else Decimal(0)) if version.type == QuestionType.ESSAY else question_score(
                    type=version.type, key=version.key, choice=choice, points=Decimal(1), partial_credit=False)
                paper.append(SittingQuestion(
                    sitting=sitting, position=position, question=question, version=version,
                    option_order=list(range(len(version.options))), points=Decimal(1), choice=choice, text=text,
                    score=score, revision=1 if (choice or text) else 0,
                ))
            SittingQuestion.objects.bulk_create(paper)
            _sitting_close(sitting, paper)
            sitting.save(update_fields=["status", "score", "passed"])
            counts["sittings"].imported += 1

    # --- progress: django-quiz-app's per-category tallies, derived from the sittings ------
    for pk in by_model["quiz.progress"]:
        counts["progress"].read += 1
        result.skip("progress", _("Progress %(pk)s: per-category tallies are recomputed from the results, "
                                  "not copied.") % {"pk": pk})
    return result
