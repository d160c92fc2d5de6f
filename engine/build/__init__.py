"""From validated documents to the typed IR: one builder module per kind."""
