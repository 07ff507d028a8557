"""The client's version: the normalized spec's ``info.version``."""

__version__ = "0.2.0"
