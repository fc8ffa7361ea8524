"""Background work: the confirmation email with the receipt number (the receipt page shows it at once too)."""

from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task


@task()
def send_receipt(entry_id: int) -> bool:
    from .models import Entry

    entry = Entry.objects.select_related("competition", "category", "entrant").filter(pk=entry_id).first()
    if entry is None or "@" not in entry.entrant_contact:
        return False
    language = entry.entrant.preferred_language if entry.entrant else "vi"
    with translation.override(language):
        subject = _("Your entry %(receipt)s is received") % {"receipt": entry.receipt}
        body = _(
            "Thank you for taking part in “%(competition)s”.\n\nEntry: %(title)s\nCategory: %(category)s\n"
            "Receipt number: %(receipt)s\n\nYou may change your entry until the deadline; each version is kept."
        ) % {
            "competition": entry.competition.title,
            "title": entry.title,
            "category": entry.category.name,
            "receipt": entry.receipt,
        }
    send_mail(subject, body, None, [entry.entrant_contact], fail_silently=True)
    return True
