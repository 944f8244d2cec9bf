"""Talking to Mimecast: signing, transport, errors, models. Knows nothing of Slack."""
