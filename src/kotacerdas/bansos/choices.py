"""Choices of the social-aid registry."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    """Sex as the civil registry writes it: L (laki-laki) or P (perempuan)."""

    MALE = "L", _("Male")
    FEMALE = "P", _("Female")


class Relationship(models.TextChoices):
    """A person's place in the family card (hubungan dalam keluarga)."""

    HEAD = "head", _("Head of family")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    CHILD_IN_LAW = "child_in_law", _("Child-in-law")
    GRANDCHILD = "grandchild", _("Grandchild")
    PARENT = "parent", _("Parent")
    PARENT_IN_LAW = "parent_in_law", _("Parent-in-law")
    OTHER_FAMILY = "other_family", _("Other family member")
    OTHER = "other", _("Other")


class NikWarning(models.TextChoices):
    """Where a valid NIK disagrees with the recorded person (``identity.nik_warnings``). A NIK
    is permanent and never corrected, so the disagreement is kept on the person as a warning
    for a clerk, worded for the import report and the person's page alike."""

    DOB_MISMATCH = (
        "nik_dob_mismatch",
        _(
            "The NIK's date digits disagree with the recorded date of birth. A NIK is never "
            "corrected: check the birth date."
        ),
    )
    SEX_MISMATCH = (
        "nik_sex_mismatch",
        _("The NIK's day (women + 40) disagrees with the recorded sex."),
    )


class ProgrammeLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    LOCAL = "local", _("Local (APBD)")


class ExclusionKind(models.TextChoices):
    """Occupations that bar a person from social aid."""

    CIVIL_SERVANT = "civil_servant", _("Civil servant (ASN)")
    MILITARY = "military", _("Military (TNI)")
    POLICE = "police", _("Police (Polri)")
    OTHER = "other", _("Other")


class LinkMethod(models.TextChoices):
    """How a DTKS row was linked to a civil-registry person."""

    NIK_EXACT = "nik_exact", _("Exact NIK")
    PROBABILISTIC = "probabilistic", _("Probabilistic")
    CLERICAL = "clerical", _("Clerical review")
    NONE = "none", _("Not linked")


class LinkFlag(models.TextChoices):
    """A data-quality problem the linkage found on a DTKS row."""

    NIK_INVALID = "nik_invalid", _("NIK invalid")
    NIK_NOT_FOUND = "nik_not_found", _("NIK not in the civil registry")
    NIK_OTHER_PERSON = "nik_other_person", _("NIK belongs to someone else")
    NIK_DOB_MISMATCH = "nik_dob_mismatch", _("NIK disagrees with the birth date")
    DECEASED = "deceased", _("Deceased")
    DUPLICATE_IN_DTKS = "duplicate_in_dtks", _("Duplicate in DTKS")
    EXCLUDED_OCCUPATION = "excluded_occupation", _("Excluded occupation")
    MOVED_OUT = "moved_out", _("Moved out")


class ReviewDecision(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    ACCEPTED = "accepted", _("Same person")
    REJECTED = "rejected", _("Different people")


class CaseKind(models.TextChoices):
    """A citizen's usul (proposal: this person should get aid) or sanggah (objection: this
    recipient should not)."""

    PROPOSAL = "proposal", _("Proposal (usul)")
    OBJECTION = "objection", _("Objection (sanggah)")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Awaiting decision")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


class BatchStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    EXPORTED = "exported", _("Sent to the bank")
    RECONCILED = "reconciled", _("Reconciled")


class PaymentStatus(models.TextChoices):
    """A payment's state. Pending and paid payments hold the person's place for the programme
    and period; failed and returned ones free it for a new batch. A held payment waits for a
    clerk to release it (a data-quality flag stopped it)."""

    HELD = "held", _("Held back")
    PENDING = "pending", _("Pending")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")
    RETURNED = "returned", _("Returned")
