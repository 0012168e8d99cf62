"""Conversation scripts: YAML files of customer turns and what the bot must do, run for real
through a local server and the Intercom emulator (tests, CI and ``concierge test``)."""
