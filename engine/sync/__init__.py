"""Syncing with the CRMs: computed scores written back, lead history pulled in (docs/sync.md)."""
