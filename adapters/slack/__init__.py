"""The Slack adapter: one package, one module per concern.

    app.py        listeners: mentions, /fact, buttons and forms in; `bot.Factbot` calls; replies out
    blocks.py     Block Kit rendering of answers, facts and history
    forms.py      the moderators' add / edit forms (modals) and what they submit
    settings.py   SlackSettings, read once from the environment
    server.py     HTTP mode: bolt's WSGI adapter under gunicorn, /healthz, graceful stop
    oauth.py      installing to many workspaces: bolt's OAuth flow, installations in the store
    manifest.yml  the app manifest to create the Slack app from (docs/slack.md)

>>> app = create_app()                  # settings from the environment
>>> serve(http_mode=True, port=3000)    # what `factbot serve slack --http` does
"""

from adapters.slack.app import create_app, serve
from adapters.slack.settings import SlackSettings

__all__ = ["SlackSettings", "create_app", "serve"]
