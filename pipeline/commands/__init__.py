"""CLI subcommands, one module each; ``pipeline.cli.SUBCOMMANDS`` imports them on first use."""
