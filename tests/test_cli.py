"""The command line as a whole: version, help, and usage mistakes as one clear line."""

import pytest

from aligner import __version__


def test_version(cli):
    result = cli("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"aligner {__version__}"


@pytest.mark.parametrize("args,fragment", [
    (["nonsense"], "No such command"),
    (["segment"], "Missing argument"),
    (["tmx", "--bogus"], "No such option"),
    (["align", "--format", "xml", "a.txt", "b.txt"], "--format"),
    (["segment", "x.txt", "--lang", "fr"], "--lang"),
])
def test_usage_errors_are_one_line_exit_2(cli, args, fragment):
    result = cli(*args)
    assert result.returncode == 2
    assert result.stderr.startswith("aligner: error: ") and result.stderr.count("\n") == 1
    assert fragment in result.stderr and "--help" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["segment", "align", "run", "score", "tmx", "glossary"])
def test_every_command_has_help(cli, command):
    result = cli(command, "--help")
    assert result.returncode == 0 and "Usage:" in result.stdout
