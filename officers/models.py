from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .roles import Role, Tier, UnitKind

police_number_validator = RegexValidator(
    r"^\d{6}$", _("A police number is six digits."), code="invalid_police_number"
)


class Unit(models.Model):
    """A police station, brigade or other unit (所队); units may nest."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=UnitKind.values), name="unit_kind_valid"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        # A unit under itself (directly or through its squads) would make every
        # "unit and the units beneath it" question endless.
        if self.pk and self.parent_id:
            from .selectors import unit_subtree_ids

            if self.parent_id in unit_subtree_ids(self.pk):
                raise ValidationError({"parent": _("A unit cannot be placed under itself or one of its own squads.")})

    @property
    def is_legal_affairs(self) -> bool:
        return self.kind == UnitKind.LEGAL_AFFAIRS


class OfficerManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, police_number, password, **fields):
        if not police_number:
            raise ValueError("An officer needs a police number.")
        officer = self.model(police_number=police_number, **fields)
        officer.set_password(password)
        officer.save(using=self._db)
        return officer

    def create_user(self, police_number, password=None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(police_number, password, **fields)

    def create_superuser(self, police_number, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self._create(police_number, password, **fields)


class Officer(AbstractBaseUser, PermissionsMixin):
    """A member of the bureau; logs in with their police number (警号)."""

    police_number = models.CharField(
        _("police number"),
        max_length=6,
        unique=True,
        validators=[police_number_validator],
        error_messages={"unique": _("An officer with this police number already exists.")},
    )
    name = models.CharField(_("full name"), max_length=50)
    email = models.EmailField(_("email"), blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officers",
    )
    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices, default=Tier.OFFICER)
    joined_force_on = models.DateField(_("joined the force on"), null=True, blank=True)
    is_active = models.BooleanField(pgettext_lazy("officer", "active"), default=True)
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set when an administrator gives the password; cleared when the officer chooses their own."),
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("May log into the Django admin site."),
    )
    date_joined = models.DateTimeField(_("account created"), default=timezone.now)

    objects = OfficerManager()

    USERNAME_FIELD = "police_number"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["police_number"]
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        constraints = [
            models.CheckConstraint(condition=models.Q(tier__in=Tier.values), name="officer_tier_valid"),
        ]

    def __str__(self):
        return f"{self.name}（{self.police_number}）"

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name

    # Wagtail's admin shows these for every user model.
    @property
    def first_name(self):
        return self.name

    @property
    def last_name(self):
        return ""

    @cached_property
    def role_codes(self) -> frozenset[str]:
        """The officer's roles; one query, or none when groups were prefetched."""
        return frozenset(g.name for g in self.groups.all() if g.name in Role.values)

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_codes.intersection(roles))

    @property
    def roles_display(self) -> list[str]:
        return [Role(code).label for code in Role.values if code in self.role_codes]


class AuditEvent(models.Model):
    """Who viewed or exported confidential records, or changed a published fact, and when.

    Append-only: written by `officers.services.audit_record`, read by the legal
    affairs unit; never edited.
    """

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        Officer, verbose_name=_("who"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="audit_events",
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=200, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["actor", "-at"], name="audit_actor_at")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.target_repr}"
