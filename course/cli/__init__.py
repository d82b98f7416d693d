"""Subcommands of `python -m course`: one module each, discovered at run time.

Each module defines NAME, HELP, add_arguments(parser) and run(args) -> exit code, and keeps
heavy imports inside run() so that `--help` stays fast.
"""
