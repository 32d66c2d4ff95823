"""Reads about current law (法律法规库): what cites a superseded version of a law.

A lesson cites a version in a 法条 block (`law_version`); a bank question by its
`law_version`. Nothing is stored as "flagged": whatever cites a version that has
a `superseded_by` is listed for review, and stops being listed once it cites the
current version.
"""

from dataclasses import dataclass, field

from django.db.models import Count

from .models import LawVersion, LessonPage


@dataclass
class LessonCitation:
    lesson: LessonPage
    versions: list[LawVersion] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)


def superseded_versions() -> dict[int, LawVersion]:
    return {
        v.pk: v
        for v in LawVersion.objects.filter(superseded_by__isnull=False).select_related("law", "superseded_by__law")
    }


def lessons_citing(*, version_ids: set[int] | None = None, versions: dict[int, LawVersion] | None = None) -> list[LessonCitation]:
    """Lessons whose body (the live text, or the draft of a lesson never published)
    has a 法条 citing one of these versions (default: every superseded version)."""
    if versions is None:
        versions = superseded_versions() if version_ids is None else {
            v.pk: v for v in LawVersion.objects.filter(pk__in=version_ids).select_related("law", "superseded_by__law")
        }
    if not versions:
        return []
    found = []
    rows = LessonPage.objects.only("pk", "title", "path", "depth", "live", "body", "url_path").order_by("path")
    for lesson in rows.iterator():
        citation = LessonCitation(lesson=lesson)
        for block in lesson.body.raw_data:
            value = block.get("value") or {}
            if block.get("type") == "provision" and value.get("law_version") in versions:
                version = versions[value["law_version"]]
                if version not in citation.versions:
                    citation.versions.append(version)
                citation.articles.append(f"{version.law.display_name}{value.get('article', '')}")
        if citation.versions:
            found.append(citation)
    return found


def questions_citing(*, versions: dict[int, LawVersion] | None = None):
    """Bank questions whose legal basis cites one of these versions (default: superseded)."""
    from assessments.models import Question

    if versions is None:
        versions = superseded_versions()
    return (
        Question.objects.filter(law_version_id__in=list(versions))
        .select_related("law_version__law", "law_version__superseded_by", "category")
        .order_by("law_version_id", "pk")
    )


def law_review_items() -> dict:
    """Everything trainers must review because the law it cites was superseded."""
    versions = superseded_versions()
    lessons = lessons_citing(versions=versions)
    questions = list(questions_citing(versions=versions))
    return {"versions": list(versions.values()), "lessons": lessons, "questions": questions,
            "count": len(lessons) + len(questions)}


def versions_with_question_counts():
    return LawVersion.objects.select_related("law", "superseded_by").annotate(question_count=Count("questions"))
