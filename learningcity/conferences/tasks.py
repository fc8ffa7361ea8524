"""Background work: the e-mails to delegates with their PDFs attached (services/mail.py)."""

from django_tasks import task


@task()
def send_registration_mail(registration_id: int, kind: str, language: str) -> bool:
    from .services.mail import registration_mail_send

    return registration_mail_send(registration_id=registration_id, kind=kind, language=language)
