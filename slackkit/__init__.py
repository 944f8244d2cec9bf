"""Small helpers over slack_sdk shared by the listeners, the digest and the runtime."""
