"""The product's own commands: serve, demo, init, user, token, status."""
