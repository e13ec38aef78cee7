"""Malformed input to the public account pages: the same answer, never a server error."""

from django.urls import reverse


def test_resending_verification_to_an_address_with_a_nul_byte_gives_the_usual_answer(client, db):
    response = client.post(reverse("accounts:resend-verification"), {"email": "warga\x00@lambar.test"})
    assert response.status_code == 200
    assert response.context["sent"] is True
