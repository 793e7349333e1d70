from __future__ import annotations

from django.db import models


class OutgoingMessage(models.Model):
    """One e-mail waiting in, or sent from, the outbox."""

    class Status(models.TextChoices):
        QUEUED = "queued", "В очереди"
        SENT = "sent", "Отправлено"
        FAILED = "failed", "Не удалось отправить"

    to = models.JSONField("получатели", default=list)
    subject = models.CharField("тема", max_length=300)
    body = models.TextField("текст")
    html = models.TextField("HTML", blank=True)
    headers = models.JSONField("заголовки", default=dict, blank=True)
    # [{"filename": ..., "mimetype": ..., "content_b64": ...}]
    attachments = models.JSONField("вложения", default=list, blank=True)
    status = models.CharField(
        "состояние", max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField("попыток", default=0)
    last_error = models.TextField("последняя ошибка", blank=True)
    created_at = models.DateTimeField("создано", auto_now_add=True)
    next_attempt_at = models.DateTimeField("следующая попытка", null=True, blank=True)
    sent_at = models.DateTimeField("отправлено", null=True, blank=True)

    class Meta:
        verbose_name = "письмо"
        verbose_name_plural = "исходящие письма"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"
