"""Blocks the bulletin adds to other apps' pages (the dashboard, the profile)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from bibliomo.accounts import access
from bibliomo.bulletin.models import News, Unsubscription

register = template.Library()


@register.inclusion_tag("bulletin/dashboard_news.html", takes_context=True)
def dashboard_news(context) -> dict:
    user = context["request"].user
    district = access.current_district(user)
    news = (
        list(News.objects.filter(district=district).order_by("-published_at")[:5])
        if district
        else []
    )
    competitions = (
        list(
            News.objects.filter(
                district=district,
                kind=News.Kind.COMPETITION,
                deadline__gte=timezone.localdate(),
            ).order_by("deadline")[:3]
        )
        if district
        else []
    )
    return {"news": news, "competitions": competitions}


@register.inclusion_tag("bulletin/subscription_card.html", takes_context=True)
def subscription_card(context) -> dict:
    user = context["request"].user
    return {
        "subscribed": not Unsubscription.objects.filter(user=user).exists(),
        "csrf_token": context.get("csrf_token"),
    }
