from django.db import models


class ChangeStamp(models.Model):
    """One row (id 1): a random value written anew after every transaction that wrote data (core.changes).

    Written in its own short statement after the transaction commits, never inside it, so a long import holds no
    lock on it. Random rather than counted, so a database emptied or restored never gives an old value back for
    other data."""

    value = models.BigIntegerField()

    class Meta:
        verbose_name = "change stamp"

    def __str__(self) -> str:
        return str(self.value)
