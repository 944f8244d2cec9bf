import logging

from runtime.redaction import SecretRedactingFilter


def test_known_secrets_and_secret_shapes_are_masked(caplog):
    logger = logging.getLogger("redaction-test")
    redactor = SecretRedactingFilter(["my-signing-secret-value"])
    logger.addFilter(redactor)
    caplog.set_level(logging.DEBUG, logger="redaction-test")
    logger.debug(
        "headers %s body %s url %s",
        {"Authorization": "MC access:c2lnbmF0dXJl", "x-mc-app-id": "app"},
        "token=xoxb-1-2-abc&client_secret=shh&x=my-signing-secret-value",
        "https://hooks.slack.com/commands/T1/123/abcDEF",
    )
    text = caplog.text
    for leaked in ("c2lnbmF0dXJl", "xoxb-1-2-abc", "shh", "my-signing-secret-value", "abcDEF"):
        assert leaked not in text
    assert "x-mc-app-id" in text and "https://hooks.slack.com/***" in text


def test_exception_text_is_redacted(caplog):
    logger = logging.getLogger("redaction-test-2")
    logger.addFilter(SecretRedactingFilter(["topsecret-123"]))
    try:
        raise RuntimeError("failed with topsecret-123")
    except RuntimeError:
        logger.exception("boom")
    assert "topsecret-123" not in caplog.text
    assert "RuntimeError" in caplog.text
