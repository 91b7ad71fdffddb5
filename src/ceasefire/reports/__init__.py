"""Periodic situation reports (daily, weekly; internal per party, public) in HTML and PDF, and what the
secretariat publishes for the public ones."""
