from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

router = Router(tags=["Пользователь"])


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    role: str
    role_label: str
    position: str
    email: str
    phone: str
    district_id: int | None
    school_id: int | None
    is_admin: bool


@router.get("/me", response=MeOut, summary="Текущий пользователь")
def me(request: HttpRequest):
    user = request.user
    return MeOut(
        id=user.pk,
        username=user.username,
        full_name=user.full_name,
        role=user.role,
        role_label=user.get_role_display(),
        position=user.position,
        email=user.email,
        phone=user.phone,
        district_id=user.district_id,
        school_id=user.school_id,
        is_admin=user.is_admin,
    )
