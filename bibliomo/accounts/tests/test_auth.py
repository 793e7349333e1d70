from django.urls import reverse

from bibliomo.accounts.models import User
from conftest import PASSWORD


def _login(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_by_username_or_email(world, client):
    assert _login(client, "librarian").status_code == 302
    client.logout()
    assert _login(client, "LIBRARIAN@example.org").status_code == 302
    assert int(client.session["_auth_user_id"]) == world.librarian.pk


def test_wrong_password_gets_a_russian_message(world, client):
    response = _login(client, "librarian", "wrong")
    assert response.status_code == 200
    assert "Пожалуйста, введите правильные" in response.content.decode()


def test_login_is_throttled_after_repeated_failures(world, client):
    for _ in range(5):
        _login(client, "librarian", "wrong")
    response = _login(client, "librarian")  # even the right password is refused now
    assert response.status_code == 429
    assert "Слишком много неудачных попыток" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_many_usernames_from_one_address_are_throttled(world, client):
    for i in range(20):  # one failure each: no single username reaches its own limit
        _login(client, f"guess{i}", "wrong")
    response = _login(client, "librarian")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_few_failures_of_others_at_one_address_do_not_lock_it(world, client):
    for i in range(4):
        _login(client, f"colleague{i}", "wrong")
    assert _login(client, "librarian").status_code == 302


def test_password_reset_goes_through_the_outbox(world, client, mailoutbox):
    from bibliomo.outbox.models import OutgoingMessage

    response = client.post(reverse("password_reset"), {"email": "librarian@example.org"})
    assert response.status_code == 302
    assert OutgoingMessage.objects.filter(to=["librarian@example.org"]).count() == 1
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert "Ваш логин: librarian" in body
    link = next(line for line in body.splitlines() if "/accounts/reset/" in line)
    path = link[link.index("/accounts/reset/") :]
    response = client.get(path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "NewPass-2024!", "new_password2": "NewPass-2024!"}
    )
    assert response.status_code == 302
    world.librarian.refresh_from_db()
    assert world.librarian.check_password("NewPass-2024!")


def test_password_change_page_is_russian(world, login):
    html = login(world.librarian).get(reverse("password_change")).content.decode()
    assert "Старый пароль" in html


def test_profile_edits_own_contacts_only(world, login):
    client = login(world.librarian)
    response = client.post(
        reverse("profile"),
        {
            "last_name": "Кузнецова",
            "first_name": "Ольга",
            "phone": "+7 913 000-11-22",
            "email": "k@example.org",
            "pd_consent": "on",
        },
    )
    assert response.status_code == 302
    world.librarian.refresh_from_db()
    assert world.librarian.phone == "+7 913 000-11-22"
    assert world.librarian.pd_consent
    assert world.librarian.pd_consent_at is not None
    assert world.librarian.role == "librarian"  # the role is not in the profile form


def test_profile_refuses_someone_elses_email(world, login):
    response = login(world.librarian).post(
        reverse("profile"), {"last_name": "К", "first_name": "О", "email": "HEAD@example.org"}
    )
    assert "уже указан у другого" in response.content.decode()


def test_email_is_unique_case_insensitively(world):
    import pytest
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="dup", email="Head@Example.org")


def test_logout_is_post_only_and_works(world, login):
    client = login(world.librarian)
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302
