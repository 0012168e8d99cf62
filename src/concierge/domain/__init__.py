"""Value types passed along the line from an incoming event to the actions it causes."""
