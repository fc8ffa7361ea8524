from django.db import models


class RateLimitCounter(models.Model):
    """How many requests one client made to one kind of public write in the current window (core.ratelimit).

    One row per (scope, client), updated in place by a single atomic upsert, so every web process and every
    node of the installation counts together."""

    bucket = models.CharField(max_length=200, primary_key=True)
    window_start = models.BigIntegerField()  # Unix seconds at which the current window began
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "rate limit counter"

    def __str__(self) -> str:
        return f"{self.bucket}: {self.count}"
