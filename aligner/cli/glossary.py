"""Placeholder: this command group is not written yet."""

import typer


def register(app: typer.Typer) -> None:
    pass
