"""FastAPI service for the patient portal (and, later, the nurses' review pages)."""
