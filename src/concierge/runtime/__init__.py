"""Background work: process stored webhook events and deliver outgoing actions."""
