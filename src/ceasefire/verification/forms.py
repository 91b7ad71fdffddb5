"""Browser forms of the complaint workflow: one small form per action offered on a complaint's page.

The forms check only the shape of the input (choices, dates, files); texts the services require are left optional
here so that the service's own message ("Give the reason the complaint is inadmissible.") is the one shown, next
to its field. `add_service_errors` puts a ValidationFailed back on the form.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ceasefire.agreements.models import Commitment, PenaltyType
from ceasefire.core.enums import Role
from ceasefire.core.errors import ValidationFailed
from ceasefire.core.models import Membership, Party
from ceasefire.incidents.drafts import CasualtyFigure, EvidenceUpload
from ceasefire.incidents.forms import CasualtyGrid, MultipleFileField
from ceasefire.incidents.models import Complaint, Evidence

from . import rules
from .enums import Credibility, Outcome, Reliability, ReplyKind, TaskKind
from .models import InvestigationTask


def _text(label: Any, rows: int = 3, required: bool = False) -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}))


def _label_choices(field: forms.ModelChoiceField[Any], label: Any) -> None:
    """How a model choice is shown: Django's documented hook is overriding this method on the field."""
    field.label_from_instance = label  # type: ignore[method-assign]


class WorkflowForm(forms.Form):
    """A form about one complaint, acted on by one member; subclasses may use both to build their choices."""

    # The services' field names that are not this form's: where their message goes instead (None: above it).
    service_fields: dict[str, str | None] = {}
    action = ""  # set by the view that received it: the Actions panel it is shown in again when refused

    def __init__(self, *args: Any, member: Membership, complaint: Complaint, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.member = member
        self.complaint = complaint

    def add_service_errors(self, exc: ValidationFailed) -> None:
        """Each of the service's field errors next to the form field it names (else above the form)."""
        problems: dict[str, str] = exc.errors or {"": exc.message}
        for key, message in problems.items():
            field: str | None = self.service_fields.get(key, key)
            if field not in self.fields:
                field = None
            self.add_error(field, message)


class SubmitForm(WorkflowForm):
    pass


class SignForm(WorkflowForm):
    pass


class NotifyForm(WorkflowForm):
    note = _text(_("Note (optional)"), rows=2)


class RejectForm(WorkflowForm):
    reason = _text(_("Why the complaint is inadmissible"))


class WithdrawForm(WorkflowForm):
    reason = _text(_("Reason (optional)"), rows=2)


class CloseForm(WorkflowForm):
    note = _text(_("Note (optional)"), rows=2)


class NoteForm(WorkflowForm):
    text = _text(_("Note (mediators only)"), rows=4)


class FindingsForm(WorkflowForm):
    summary = _text(_("Findings"), rows=6)


class DissentForm(WorkflowForm):
    text = _text(_("Dissenting statement"), rows=4)


class AppealForm(WorkflowForm):
    grounds = _text(_("Grounds of appeal"), rows=4)


class ReplyForm(CasualtyGrid, WorkflowForm):
    """The respondent's reply: accept or contest, its own account, its own casualty figures and evidence."""

    kind = forms.ChoiceField(
        label=_("Reply"),
        required=False,
        choices=[(ReplyKind.ACCEPTED, ReplyKind.ACCEPTED.label), (ReplyKind.CONTESTED, ReplyKind.CONTESTED.label)],
        widget=forms.RadioSelect,
    )
    account = _text(_("Your party's account"), rows=5)
    evidence = MultipleFileField(label=_("Evidence files"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_casualty_fields()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.check_casualties(data)
        return data

    def figures(self) -> list[CasualtyFigure]:
        figures, self.figure_fields = self.casualty_figures()
        return figures

    def uploads(self) -> list[EvidenceUpload]:
        return [EvidenceUpload(file=f, filename=f.name) for f in self.cleaned_data.get("evidence") or []]

    def add_service_errors(self, exc: ValidationFailed) -> None:
        figure_fields = getattr(self, "figure_fields", [])
        for key, message in (exc.errors or {"": exc.message}).items():
            field: str | None = key
            if key.startswith("casualties["):
                index = int(key[len("casualties[") : -1])
                field = figure_fields[index] if index < len(figure_fields) else None
            elif key.startswith("evidence["):
                field = "evidence"
            self.add_error(field if field in self.fields else None, message)


class AssignForm(WorkflowForm):
    investigators = forms.ModelMultipleChoiceField(
        label=_("Investigators"),
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = _text(_("Note (optional)"), rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["investigators"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = (
            Membership.objects.filter(
                role=Role.INVESTIGATOR,
                is_active=True,
                party__kind="mediator",
                party__agreements=self.complaint.agreement,
            )
            .select_related("user", "party")
            .order_by("party__code", "user__username")
        )
        _label_choices(field, lambda m: f"{m.user.get_username()} ({m.party.code})")


def _assigned(complaint: Complaint) -> Any:
    return (
        Membership.objects.filter(assignments__complaint=complaint, assignments__round=complaint.round)
        .select_related("user", "party")
        .distinct()
    )


class TaskForm(WorkflowForm):
    kind = forms.ChoiceField(label=_("Task"), choices=TaskKind.choices)
    description = _text(_("What is to be done"), rows=2)
    due_at = forms.DateTimeField(
        label=_("Due"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    assigned_to = forms.ModelChoiceField(label=_("For"), queryset=Membership.objects.none(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assigned_to"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _assigned(self.complaint)
        _label_choices(field, lambda m: f"{m.user.get_username()} ({m.party.code})")


class CompleteTaskForm(WorkflowForm):
    """The choice lists the open tasks; a task completed meanwhile is still accepted here, so that the service
    answers that it was completed already (409) rather than the form calling it an unknown choice."""

    task = forms.IntegerField(label=_("Task"), widget=forms.Select)
    result = _text(_("What the task found"), rows=3)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tasks = InvestigationTask.objects.filter(complaint=self.complaint)
        widget = self.fields["task"].widget
        assert isinstance(widget, forms.Select)
        widget.choices = [(t.pk, f"{t.get_kind_display()}: {t.description[:60]}") for t in tasks if t.done_at is None]
        self.all_tasks = {t.pk: t for t in tasks}

    def clean_task(self) -> InvestigationTask:
        task = self.all_tasks.get(self.cleaned_data["task"])
        if task is None:
            raise forms.ValidationError(_("Choose one of this complaint's tasks."))
        return task


class GradeForm(WorkflowForm):
    """An Admiralty grade: the source's reliability and the item's credibility, as two separate choices."""

    evidence = forms.ModelChoiceField(
        label=_("Evidence item"), queryset=Evidence.objects.none(), to_field_name="public_code"
    )
    reliability = forms.ChoiceField(
        label=_("Source reliability"), required=False, choices=[("", "—"), *Reliability.choices]
    )
    credibility = forms.ChoiceField(
        label=_("Item credibility"), required=False, choices=[("", "—"), *Credibility.choices]
    )
    note = _text(_("Reason (optional)"), rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["evidence"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Evidence.objects.visible_to(self.member).filter(complaint=self.complaint)
        _label_choices(field, lambda e: f"{e.public_code} {e.filename}")


class CorroborateForm(WorkflowForm):
    incident = forms.CharField(label=_("Incident code"), max_length=20)
    note = _text(_("How it bears on this complaint"), rows=2)


class DeterminationForm(WorkflowForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *Outcome.choices])
    responsible_party = forms.ModelChoiceField(
        label=_("Responsible party"), queryset=Party.objects.none(), required=False, to_field_name="code"
    )
    commitments = forms.ModelMultipleChoiceField(
        label=_("Commitments breached"),
        queryset=Commitment.objects.none(),
        required=False,
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
    )
    measures = forms.ModelMultipleChoiceField(
        label=_("Measures"),
        queryset=PenaltyType.objects.none(),
        required=False,
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
    )
    reasons = _text(_("Reasons"), rows=6)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        complaint, agreement = self.complaint, self.complaint.agreement
        sides = Party.objects.filter(pk__in=[complaint.complainant_id, complaint.respondent_id])
        self._set("responsible_party", sides, lambda p: p.display_name)
        self._set("commitments", agreement.commitments.all(), lambda c: f"{c.code} — {c.text}")
        self._set("measures", agreement.penalty_types.all(), lambda m: m.name)
        current = complaint.determinations.filter(round=complaint.round).first()
        if current is not None and not self.is_bound:
            self.initial = {
                "outcome": current.outcome,
                "responsible_party": current.responsible_party.code if current.responsible_party else None,
                "commitments": [c.code for c in current.commitments.all()],
                "measures": [m.code for m in current.measures.all()],
                "reasons": current.reasons,
            }

    def _set(self, name: str, queryset: Any, label: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queryset
        _label_choices(field, label)


def may_take(action: str, member: Membership, complaint: Complaint) -> bool:
    """Whether the member's role allows the action on this complaint at all, whatever its state: a member who
    may not is refused (403) before the form is read; one who may, but not now, gets the service's 409."""
    checks = {
        "submit": rules.is_complainant_liaison,
        "withdraw": rules.is_complainant_liaison,
        "reply": rules.is_respondent_liaison,
        "dissent": rules.is_named_party_liaison,
        "appeal": rules.is_named_party_liaison,
        "add_task": rules.can_investigate,
        "complete_task": rules.can_investigate,
        "grade": rules.can_investigate,
        "corroborate": rules.can_investigate,
        "findings": rules.can_investigate,
    }
    if action in checks:
        return checks[action](member, complaint)
    if action in ("notify", "reject", "assign", "close"):
        return rules.is_secretariat(member)
    if action == "note":
        return rules.can_investigate(member, complaint) or rules.is_adjudicator(member)
    if action == "draft_determination":
        return rules.can_draft_determination(member)
    if action == "sign":
        return rules.is_adjudicator(member)
    return False


# Every action of the complaint page: its form and the title of its panel, in the order the panel lists them.
ACTION_FORMS: dict[str, tuple[type[WorkflowForm], Any]] = {
    "submit": (SubmitForm, _("Submit the draft")),
    "notify": (NotifyForm, _("Notify the respondent")),
    "reject": (RejectForm, _("Reject as inadmissible")),
    "reply": (ReplyForm, _("Reply to the complaint")),
    "assign": (AssignForm, _("Assign investigators")),
    "add_task": (TaskForm, _("Add an investigation task")),
    "complete_task": (CompleteTaskForm, _("Complete a task")),
    "grade": (GradeForm, _("Grade an evidence item")),
    "corroborate": (CorroborateForm, _("Link a corroborating incident")),
    "note": (NoteForm, _("Add a note")),
    "findings": (FindingsForm, _("Record the findings")),
    "draft_determination": (DeterminationForm, _("Draft the determination")),
    "sign": (SignForm, _("Sign the determination")),
    "dissent": (DissentForm, _("Add a dissenting statement")),
    "appeal": (AppealForm, _("Appeal the determination")),
    "withdraw": (WithdrawForm, _("Withdraw the complaint")),
    "close": (CloseForm, _("Close the complaint")),
}
