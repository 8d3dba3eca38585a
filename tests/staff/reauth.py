"""Re-entering one's password before a sensitive change, as an officer does in the browser."""

from urllib.parse import urlencode

from tests.factories import DEFAULT_PASSWORD


def confirm_password(client_request, password: str = DEFAULT_PASSWORD, *, next_url: str = ""):
    """Type the password on the confirmation page; return the answer (a redirect when right)."""
    url = "/staff/confirm-password" + (f"?{urlencode({'next': next_url})}" if next_url else "")
    return client_request.post(url, {"password": password}, expected_status=302)
