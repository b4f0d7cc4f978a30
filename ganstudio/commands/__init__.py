"""CLI commands that live in their own modules; each registers one line in ganstudio.cli.COMMANDS."""
