"""Signals other apps listen to, so the meetings app need not know them.

``minutes_adjusted``: sent (by the service that adjusts minutes, after the transaction
commits) with ``sender=Minutes``, ``minutes`` (the adjusted version) and ``actor`` (the
user whose approval completed the adjustment). The notice board posts its notice on it.
"""

from django.dispatch import Signal

minutes_adjusted = Signal()
