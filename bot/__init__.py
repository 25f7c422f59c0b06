"""Shared logic of the spine aftercare bot: triage, leaflet knowledge, contacts, settings.

``actions/`` (Rasa custom actions) and ``api/`` (FastAPI service) call into this package.
Nothing here does work at import time.
"""
