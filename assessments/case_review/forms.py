"""Forms of the case-review pages; rules live in the services, forms only parse."""

from django import forms
from django.utils.translation import gettext_lazy as _

from officers.models import Officer, Unit
from officers.roles import Role, Tier

from ..forms import moment_in_range
from .documents import MAX_DOCUMENT_BYTES
from .models import CaseDocument, CaseFile, KeyDefect, ReviewRound


class CaseFileForm(forms.ModelForm):
    class Meta:
        model = CaseFile
        fields = ["title", "kind", "unit", "summary", "correct_conclusion", "conclusion_explanation"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4}), "conclusion_explanation": forms.Textarea(attrs={"rows": 4})}


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Case document"), max_length=100, help_text=_("e.g. 受案登记表, 询问笔录, 现场勘验笔录"))
    pdf = forms.FileField(
        label=_("PDF scan"), required=False,
        help_text=_("A readable PDF of at most %(limit)s MB.") % {"limit": MAX_DOCUMENT_BYTES // 1024 // 1024},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    text = forms.CharField(label=_("…or its text"), required=False, widget=forms.Textarea(attrs={"rows": 8}),
                           help_text=_("Typed text is printed to a PDF page by page."))


class KeyDefectForm(forms.ModelForm):
    class Meta:
        model = KeyDefect
        fields = ["defect_type", "document", "page", "description", "weight", "legal_basis", "explanation"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2}), "explanation": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, case_file, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = CaseDocument.objects.filter(case_file=case_file)
        self.fields["defect_type"].queryset = self.fields["defect_type"].queryset.filter(active=True)


class RoundForm(forms.ModelForm):
    audience_tiers = forms.MultipleChoiceField(label=_("Tiers"), choices=Tier.choices, required=False,
                                               widget=forms.CheckboxSelectMultiple)
    audience_roles = forms.MultipleChoiceField(label=_("Roles"), choices=Role.choices, required=False,
                                               widget=forms.CheckboxSelectMultiple)
    audience_units = forms.ModelMultipleChoiceField(label=_("Units"), queryset=Unit.objects.all(), required=False,
                                                    widget=forms.SelectMultiple(attrs={"size": 6}))
    files = forms.ModelMultipleChoiceField(label=_("Case files in play"), queryset=CaseFile.objects.all(),
                                           widget=forms.CheckboxSelectMultiple)

    def clean_opens_at(self):
        return moment_in_range(self.cleaned_data.get("opens_at"))

    def clean_closes_at(self):
        return moment_in_range(self.cleaned_data.get("closes_at"))

    class Meta:
        model = ReviewRound
        fields = ["name", "description", "opens_at", "closes_at", "files_per_reviewer",
                  "audience_tiers", "audience_roles", "audience_units", "files"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }


class SwapForm(forms.Form):
    replaced = forms.ModelChoiceField(label=_("Reviewer who cannot take part"), queryset=Officer.objects.none())
    replacement = forms.CharField(label=_("Police number of the replacement"), max_length=6)
    reason = forms.CharField(label=_("Reason"), max_length=300, help_text=_("e.g. sick leave from 3 to 10 March"))

    def __init__(self, *args, round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replaced"].queryset = Officer.objects.filter(case_reviews__round=round).distinct()

    def clean_replacement(self):
        number = self.cleaned_data["replacement"].strip()
        officer = Officer.objects.filter(police_number=number).first()
        if officer is None:
            raise forms.ValidationError(_("No officer has the police number %(number)s.") % {"number": number})
        return officer
