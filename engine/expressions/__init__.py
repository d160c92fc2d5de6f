"""The expression language: parsed into a typed tree, never evaluated as Python."""
