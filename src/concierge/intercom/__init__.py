"""Intercom wire formats: REST client, webhook and Canvas Kit request models, signatures,
sheet decryption, and the Intercom emulator."""
