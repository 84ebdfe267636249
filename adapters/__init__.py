"""Platform adapters: the CLI, Slack and Discord. Each only translates to and from `bot`."""
