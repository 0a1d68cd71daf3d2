"""Kota Cerdas: a smart city platform for Indonesian regional governments."""

__version__ = "0.1.0"
