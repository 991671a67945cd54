"""Reminders and notifications: one mechanism for every kind (see ``kinds``)."""
