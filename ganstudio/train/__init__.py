"""Losses, step functions, the event-generating loop, checkpoints and metrics."""
