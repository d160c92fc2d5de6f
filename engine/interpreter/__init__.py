"""The interpreter: one lead at a time, explaining every decision (the reference evaluator)."""
