"""Forms of the shadowing pages; the rules themselves live in services.py."""

import datetime as dt
import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .models import (
    RATING_MAX,
    RATING_MIN,
    ActivityKind,
    Competency,
    MentorEvaluation,
    RecruitPart,
    ShadowingLog,
)
from .services import (
    LONG_SHIFT_MINUTES,
    REASON_MAX,
    ActivityEntry,
    LogEntry,
    RatingEntry,
    date_range_error,
    log_entry_errors,
)

# Longest texts the shadowing forms take (stated under the narrative fields, set as
# each box's maxlength, and checked here): a shift's narrative fields, a comment on one rating, a reason.
# They keep a log readable and its training-record PDF quick to print.
NARRATIVE_MAX = 2000
COMMENT_MAX = 500
GUIDELINE_MAX = 1000

ACTIVITY_ROWS = 3
REMEDIAL_ROWS = 2
NOT_OBSERVED = "no"


class LimitedTexts:
    """Says in plain Chinese how long a text may be and how long it is, and keeps it."""

    def full_clean(self):
        for field in self.fields.values():  # fields added in __init__ included
            if getattr(field, "max_length", None):
                field.error_messages["max_length"] = _(
                    "This text has %(show_value)d characters; at most %(limit_value)d are allowed. "
                    "Shorten it: what you wrote is kept here."
                )
        super().full_clean()


def _limit(field, limit: int) -> None:
    """Give a model form's text field (a TextField has no length) a limit, checked and shown."""
    from django.core.validators import MaxLengthValidator

    field.max_length = limit
    field.validators.append(MaxLengthValidator(limit))
    field.widget.attrs["maxlength"] = str(limit)


def _in_range(day):
    """A mentorship date within services.DATE_RANGE_YEARS of today, else a Chinese error."""
    if day and (message := date_range_error(day)):
        raise forms.ValidationError(message)
    return day


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        unit = obj.unit.name if obj.unit_id else ""
        return f"{obj.name}（{obj.police_number}）{unit}"


class MentorChoiceField(OfficerChoiceField):
    def label_from_instance(self, obj):
        load = gettext("mentors %(count)s of at most %(limit)s") % {
            "count": getattr(obj, "open_count", 0), "limit": getattr(obj, "limit", "—"),
        }
        return f"{super().label_from_instance(obj)} · {load}"


class MentorLimitForm(forms.Form):
    """A mentor's own limit, found by police number (the number officers know each other by)."""

    police_number = forms.CharField(
        label=_("Mentor's police number"), max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    max_recruits = forms.IntegerField(
        label=_("Most recruits at once"), required=False, min_value=1, max_value=10,
        help_text=_("Leave empty to use the bureau's default."),
        error_messages={
            "min_value": _("A limit is at least 1."),
            "max_value": _("A limit is at most 10."),
            "invalid": _("Enter a whole number."),
        },
    )

    def clean_police_number(self):
        from officers.models import Officer

        number = self.cleaned_data["police_number"].strip()
        officer = Officer.objects.filter(police_number=number, is_active=True).first()
        if officer is None:
            raise forms.ValidationError(_("No active officer has the police number %(number)s.") % {"number": number})
        self.mentor = officer
        return number


class CurriculumMinimumsForm(forms.Form):
    """What must be done before 出师 can be proposed; 0 sets no minimum."""

    shifts = forms.IntegerField(label=_("Shifts at least"), min_value=0, max_value=1000)
    hours = forms.IntegerField(label=_("Hours at least"), min_value=0, max_value=10000)
    weeks = forms.IntegerField(label=_("Weeks of shadowing at least"), min_value=0, max_value=104)
    simulations = forms.IntegerField(label=_("Simulated cases (模拟办案) at least"), min_value=0, max_value=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["inputmode"] = "numeric"
            field.help_text = _("0: no minimum.")


class MentorshipAssignForm(forms.Form):
    recruit = OfficerChoiceField(label=_("Recruit"), queryset=None)
    mentor = MentorChoiceField(label=_("Mentor"), queryset=None)
    started_on = forms.DateField(label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    planned_end_on = forms.DateField(
        label=_("Planned end"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty for three months after the start."),
    )

    def __init__(self, *args, recruits, mentors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recruit"].queryset = recruits
        self.fields["mentor"].queryset = mentors

    def clean_started_on(self):
        return _in_range(self.cleaned_data["started_on"])

    def clean_planned_end_on(self):
        return _in_range(self.cleaned_data["planned_end_on"])

    def clean(self):
        data = super().clean()
        start, end = data.get("started_on"), data.get("planned_end_on")
        if start and end and end <= start:
            self.add_error("planned_end_on", _("The planned end must be after the start date."))
        return data


class MentorshipExtendForm(forms.Form):
    planned_end_on = forms.DateField(label=_("New planned end"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def clean_planned_end_on(self):
        return _in_range(self.cleaned_data["planned_end_on"])


class MentorshipEndForm(LimitedTexts, forms.Form):
    reason = forms.CharField(label=_("Reason for ending early"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3}))


class AcknowledgeForm(LimitedTexts, forms.Form):
    comment = forms.CharField(
        label=_("Your comment (optional)"), required=False, max_length=NARRATIVE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # The version the page showed: acknowledging a version corrected since is refused.
    version = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)


class AddendumForm(LimitedTexts, forms.Form):
    text = forms.CharField(label=_("Addendum"), max_length=NARRATIVE_MAX, widget=forms.Textarea(attrs={"rows": 3}))


class ObjectionForm(LimitedTexts, forms.Form):
    """The recruit's objection to a log (提出异议)."""

    reason = forms.CharField(
        label=_("What do you object to, and why?"), max_length=NARRATIVE_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class ObjectionAnswerForm(LimitedTexts, forms.Form):
    answer = forms.CharField(label=_("Your answer to the objection"), max_length=NARRATIVE_MAX, widget=forms.Textarea(attrs={"rows": 3}))


class FinalApproveForm(LimitedTexts, forms.Form):
    """The legal affairs reviewer's approval of 出师: the opinion, and a reason if logs are unacknowledged."""

    opinion = forms.CharField(
        label=_("Approval opinion (审核意见)"), required=False, max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}), help_text=_("Printed in the training record."),
    )
    unacknowledged_reason = forms.CharField(
        label=_("Reason for approving with unacknowledged logs"), required=False, max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _rating_choices():
    """1–7 first, then not observed and not practised: one row of buttons, one tap each."""
    return [(str(n), str(n)) for n in range(RATING_MIN, RATING_MAX + 1)] + [
        (NOT_OBSERVED, _("Not observed")), ("", _("Not practised")),
    ]


class ShadowingLogForm(LimitedTexts, forms.Form):
    """One shift's log, built for a phone: date and times, what was handled, ratings, narrative."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    # "Start" alone is another app's button (去答题): the shift's times have their own context.
    start_time = forms.TimeField(label=pgettext_lazy("shift", "Start"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(label=pgettext_lazy("shift", "End"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    is_simulation = forms.BooleanField(label=_("Simulated case handling (模拟办案)"), required=False)
    long_shift_confirmed = forms.BooleanField(
        label=_("Yes, the shift really lasted over 12 hours"), required=False,
    )
    not_responding = forms.BooleanField(
        label=_("Not responding to training"), required=False,
        help_text=_("Raises an alert to the unit leader and the legal affairs unit."),
    )
    best = forms.CharField(label=_("What went best"), max_length=NARRATIVE_MAX, widget=forms.Textarea(attrs={"rows": 2}))
    worst = forms.CharField(label=_("What went worst"), max_length=NARRATIVE_MAX, widget=forms.Textarea(attrs={"rows": 2}))
    next_plan = forms.CharField(
        label=_("Plan for the next shift"), max_length=NARRATIVE_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    form_token = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)
    # The version a correction was opened on (see services.shadowing_log_update).
    base_version = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)

    def __init__(self, *args, mentorship, competencies: list[Competency], log: ShadowingLog | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.mentorship = mentorship
        self.log = log
        self.competencies = competencies
        for name in ("best", "worst", "next_plan"):
            self.fields[name].help_text = gettext("At most %(limit)s characters.") % {"limit": NARRATIVE_MAX}
        for i in range(ACTIVITY_ROWS):
            self.fields[f"activity_{i}_kind"] = forms.ChoiceField(
                label=_("Kind"), required=False, choices=list(ActivityKind.choices) + [("", _("No incident or case"))],
                widget=forms.RadioSelect,
            )
            self.fields[f"activity_{i}_case_number"] = forms.CharField(
                label=_("Case number (optional)"), required=False, max_length=40
            )
            self.fields[f"activity_{i}_part"] = forms.ChoiceField(
                label=_("Recruit's part"), required=False, choices=RecruitPart.choices, initial=RecruitPart.OBSERVED,
                widget=forms.RadioSelect,
            )
            self.fields[f"activity_{i}_summary"] = forms.CharField(label=pgettext_lazy("brief account", "Summary"), required=False, max_length=200)
        for competency in competencies:
            self.fields[f"rating_{competency.pk}"] = forms.ChoiceField(
                label=competency.name, required=False, choices=_rating_choices(), widget=forms.RadioSelect,
            )
            self.fields[f"comment_{competency.pk}"] = forms.CharField(
                label=pgettext_lazy("remarks", "Comment"), required=False, max_length=COMMENT_MAX,
                widget=forms.Textarea(attrs={"rows": 1, "placeholder": _("Needed for a rating below 3 or above 6")}),
            )
        for i in range(REMEDIAL_ROWS):
            self.fields[f"remedial_{i}_topic"] = forms.CharField(label=_("Remedial training topic"), required=False, max_length=200)
            self.fields[f"remedial_{i}_minutes"] = forms.IntegerField(
                label=_("Minutes"), required=False, min_value=1, max_value=600
            )
            self.fields[f"remedial_{i}_competency"] = forms.TypedChoiceField(
                label=_("For the competency"), required=False, coerce=int, empty_value=None,
                choices=[("", "—")] + [(c.pk, c.name) for c in competencies],
            )

    # The template walks these groups.
    def activity_rows(self):
        return [
            [self[f"activity_{i}_{name}"] for name in ("kind", "part", "case_number", "summary")]
            for i in range(ACTIVITY_ROWS)
        ]

    def rating_rows(self):
        return [(c, self[f"rating_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.competencies]

    def remedial_rows(self):
        return [
            (self[f"remedial_{i}_topic"], self[f"remedial_{i}_minutes"], self[f"remedial_{i}_competency"])
            for i in range(REMEDIAL_ROWS)
        ]

    def clean(self):
        data = super().clean()
        for i in range(ACTIVITY_ROWS):
            written = data.get(f"activity_{i}_case_number") or data.get(f"activity_{i}_summary")
            if written and not data.get(f"activity_{i}_kind"):
                self.add_error(f"activity_{i}_kind", _("Choose the kind of incident or case."))
        for i in range(REMEDIAL_ROWS):
            topic, minutes = data.get(f"remedial_{i}_topic"), data.get(f"remedial_{i}_minutes")
            minutes_field = f"remedial_{i}_minutes"
            if topic and not minutes and minutes_field not in self.errors:
                self.add_error(minutes_field, _("How many minutes?"))
            if minutes and not topic:
                self.add_error(f"remedial_{i}_topic", _("Which topic?"))
        if any(data.get(k) is None for k in ("date", "start_time", "end_time")):
            return data
        # The log's own rules too, even beside a missing field: every correction is shown at once.
        errors = log_entry_errors(
            mentorship=self.mentorship, entry=self.entry(), exclude_log_id=self.log.pk if self.log else None
        )
        for name, messages in errors.items():
            if name in self.errors:  # already marked (a required narrative field)
                continue
            for message in messages:
                self.add_error(None if name == "__all__" else name, message)
        return data

    def entry(self) -> LogEntry:
        data = self.cleaned_data
        ratings = {}
        for competency in self.competencies:
            value = data.get(f"rating_{competency.pk}")
            if value:
                ratings[competency.pk] = RatingEntry(
                    rating=None if value == NOT_OBSERVED else int(value),
                    comment=data.get(f"comment_{competency.pk}", ""),
                )
        activities = [
            ActivityEntry(
                kind=data[f"activity_{i}_kind"],
                part=data.get(f"activity_{i}_part") or RecruitPart.OBSERVED,
                case_number=data.get(f"activity_{i}_case_number", ""),
                summary=data.get(f"activity_{i}_summary", ""),
            )
            for i in range(ACTIVITY_ROWS)
            if data.get(f"activity_{i}_kind")
        ]
        remedials = [
            (data[f"remedial_{i}_topic"], data[f"remedial_{i}_minutes"], data.get(f"remedial_{i}_competency"))
            for i in range(REMEDIAL_ROWS)
            if data.get(f"remedial_{i}_topic") and data.get(f"remedial_{i}_minutes")
        ]
        return LogEntry(
            date=data["date"], start_time=data["start_time"], end_time=data["end_time"],
            best=data.get("best", ""), worst=data.get("worst", ""), next_plan=data.get("next_plan", ""),
            is_simulation=data.get("is_simulation", False), not_responding=data.get("not_responding", False),
            activities=activities, ratings=ratings, remedials=remedials,
            long_shift_confirmed=data.get("long_shift_confirmed", False),
            form_token=data.get("form_token", ""),
        )


def log_form_initial(*, mentorship, draft=None, last_log=None, log: ShadowingLog | None = None) -> dict:
    """Start values: a saved draft if there is one, else today and the last shift's times."""
    if log is not None:
        initial = {
            "date": log.date, "start_time": log.start_time, "end_time": log.end_time,
            "is_simulation": log.is_simulation, "not_responding": log.not_responding,
            "best": log.best, "worst": log.worst, "next_plan": log.next_plan,
            "long_shift_confirmed": log.duration_minutes > LONG_SHIFT_MINUTES,
            "base_version": log.version,
        }
        for i, activity in enumerate(list(log.activities.all())[:ACTIVITY_ROWS]):
            initial.update({
                f"activity_{i}_kind": activity.kind, f"activity_{i}_part": activity.part,
                f"activity_{i}_case_number": activity.case_number, f"activity_{i}_summary": activity.summary,
            })
        for rating in log.ratings.all():
            initial[f"rating_{rating.competency_id}"] = NOT_OBSERVED if rating.rating is None else str(rating.rating)
            initial[f"comment_{rating.competency_id}"] = rating.comment
        for i, remedial in enumerate(list(log.remedials.all())[:REMEDIAL_ROWS]):
            initial[f"remedial_{i}_topic"], initial[f"remedial_{i}_minutes"] = remedial.topic, remedial.minutes
            initial[f"remedial_{i}_competency"] = remedial.competency_id
        return initial
    if draft is not None:
        initial = dict(draft.data)
        for name in ("is_simulation", "not_responding", "long_shift_confirmed"):
            initial[name] = bool(initial.get(name))
        initial.setdefault("form_token", uuid.uuid4().hex)
        return initial
    initial = {"date": timezone.localdate(), "form_token": uuid.uuid4().hex}
    if last_log is not None:
        initial["start_time"], initial["end_time"] = last_log.start_time, last_log.end_time
    else:
        initial["start_time"], initial["end_time"] = dt.time(8, 30), dt.time(17, 30)
    return initial


class MentorEvaluationForm(LimitedTexts, forms.ModelForm):
    SCALE = [(n, str(n)) for n in range(1, 6)]

    class Meta:
        model = MentorEvaluation
        fields = ["teaching", "availability", "fairness", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit(self.fields["comment"], NARRATIVE_MAX)
        for name in ("teaching", "availability", "fairness"):
            self.fields[name].widget = forms.RadioSelect(choices=self.SCALE)
            self.fields[name].help_text = _("1 poor · 3 adequate · 5 excellent")


class CompetencyForm(LimitedTexts, forms.ModelForm):
    class Meta:
        model = Competency
        fields = ["name", "position", "description", "guideline_1", "guideline_4", "guideline_7", "is_active"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "guideline_1": forms.Textarea(attrs={"rows": 2}),
            "guideline_4": forms.Textarea(attrs={"rows": 2}),
            "guideline_7": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("description", "guideline_1", "guideline_4", "guideline_7"):
            _limit(self.fields[name], GUIDELINE_MAX)
