"""Accord: sales and marketing agreements as code."""

__version__ = "0.1.0"
