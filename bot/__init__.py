"""The platform-neutral core: a request in, a reply out. Adapters (CLI, Slack, Discord) call this."""

from bot.reply import CheckReply, Citation, RelatedFact, Relation, Verdict
from bot.service import Factbot

__all__ = ["Citation", "CheckReply", "Factbot", "RelatedFact", "Relation", "Verdict"]
