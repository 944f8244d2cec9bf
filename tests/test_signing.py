import locale
from datetime import UTC, datetime

import pytest

from mimecast.signing import SigningKeys, mc_date, signature, signed_headers


def test_published_test_vector():
    sig = signature(
        secret_key="U2VjcmV0S2V5",
        app_key="ApplicationKey",
        date="Sun, 21 Aug 2022 13:49:40 EDT",
        request_id="3d796b76-4180-40e5-8f7c-6e0fd643b1a9",
        uri="/api/test/some-url",
    )
    assert sig == "Phz1Ig0xLLb3cYx2LuCMFlt1CfY="


def test_date_format_is_english_utc():
    moment = datetime(2015, 11, 24, 12, 50, 11, tzinfo=UTC)
    assert mc_date(moment) == "Tue, 24 Nov 2015 12:50:11 UTC"


def test_date_is_english_under_another_locale():
    for name in ("de_DE.UTF-8", "fr_FR.UTF-8", "de_DE.utf8"):
        try:
            previous = locale.setlocale(locale.LC_TIME, name)
            break
        except locale.Error:
            continue
    else:
        pytest.skip("no non-English locale installed on this machine")
    try:
        moment = datetime(2022, 3, 1, 8, 0, 0, tzinfo=UTC)
        assert mc_date(moment) == "Tue, 01 Mar 2022 08:00:00 UTC"
    finally:
        locale.setlocale(locale.LC_TIME, previous)


def test_signed_headers_use_path_and_fresh_ids():
    keys = SigningKeys("app-id", "app-key", "access", "U2VjcmV0S2V5")
    first = signed_headers(keys, "/api/x")
    second = signed_headers(keys, "/api/x")
    assert first["x-mc-req-id"] != second["x-mc-req-id"]
    assert first["x-mc-app-id"] == "app-id"
    expected = signature(
        "U2VjcmV0S2V5", "app-key", first["x-mc-date"], first["x-mc-req-id"], "/api/x"
    )
    assert first["Authorization"] == f"MC access:{expected}"


def test_keys_repr_hides_secrets():
    keys = SigningKeys("app-id", "the-app-key", "the-access", "U2VjcmV0S2V5")
    text = repr(keys)
    assert "the-app-key" not in text and "U2VjcmV0S2V5" not in text and "the-access" not in text
