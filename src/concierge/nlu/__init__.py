"""Understanding: intent files, the intent classifier, and entity extraction."""
