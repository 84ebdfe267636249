"""The Discord adapter: one package, one module per concern.

    client.py   the client, /factcheck, the context menu and /fact moderation commands
    embeds.py   embeds for answers, facts and history

`import discord` inside this package is the library: imports are absolute, and nothing puts
`adapters/` itself on `sys.path` (tests/test_discord_app.py checks it).

>>> client = create_client(DiscordSettings(token="...", db_path=Path("factbot.db")))
>>> client.run(client.settings.token)      # what `factbot serve discord` does
"""

from adapters.discord.client import DiscordSettings, SettingsError, create_client, serve

__all__ = ["DiscordSettings", "SettingsError", "create_client", "serve"]
