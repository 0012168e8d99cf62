"""The bot designer's playbook: every file in the intents directory, loaded and checked."""

from concierge.playbook.bot_settings import Playbook, PlaybookError, load_playbook

__all__ = ["Playbook", "PlaybookError", "load_playbook"]
