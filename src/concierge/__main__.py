"""``python -m concierge`` runs the CLI."""

from concierge.cli import main

main()
