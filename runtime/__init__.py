"""Process runtime: settings, logging, wiring of the Slack app, HTTP serving."""
