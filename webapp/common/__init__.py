"""Shared pieces with no blueprint: pure functions, adapters and shared models."""
