"""Everything about talking to Mimecast: signing, transport, errors, models. Knows nothing of Slack."""
