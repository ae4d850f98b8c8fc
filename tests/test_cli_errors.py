"""The command line's exit statuses: 2 for a user's mistake, 1 for a bug, --debug for both."""

from __future__ import annotations

import pytest

from bizmodels import cli


def _boom(exc: BaseException):
    def command(args):
        raise exc

    return command


@pytest.fixture
def broken(monkeypatch):
    """Make `bizmodels models` raise what the test asks for."""

    def install(exc: BaseException) -> None:
        parser = cli.build_parser()
        real = parser.parse_args

        def parse_args(argv):
            args = real(argv)
            args.func = _boom(exc)
            return args

        monkeypatch.setattr(parser, "parse_args", parse_args)
        monkeypatch.setattr(cli, "build_parser", lambda: parser)

    return install


def test_an_internal_error_is_status_1_and_one_line(broken, capsys):
    broken(ZeroDivisionError("division by zero"))
    assert cli.main(["models"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("bizmodels: internal error: ZeroDivisionError (division by zero); ")
    assert "this is a bug in bizmodels, please report it" in err
    assert "Traceback" not in err


def test_a_value_error_is_the_users_mistake(broken, capsys):
    broken(ValueError("samples = 0: must be at least 1\nsecond line"))
    assert cli.main(["models"]) == 2
    err = capsys.readouterr().err
    assert err == "bizmodels: error: samples = 0: must be at least 1; second line\n"


def test_memory_error_is_reported_as_a_bug(broken, capsys):
    broken(MemoryError())
    assert cli.main(["models"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("bizmodels: error: ran out of memory") and err.count("\n") == 1


@pytest.mark.parametrize("where", [["--debug", "models"], ["models", "--debug"]])
def test_debug_shows_the_traceback(broken, where):
    broken(ZeroDivisionError("division by zero"))
    with pytest.raises(ZeroDivisionError):
        cli.main(where)


def test_debug_shows_a_users_mistake_too(broken):
    broken(ValueError("bad"))
    with pytest.raises(ValueError, match="bad"):
        cli.main(["--debug", "models"])


def test_interrupt(broken, capsys):
    broken(KeyboardInterrupt())
    assert cli.main(["models"]) == 130
    assert capsys.readouterr().err == "bizmodels: interrupted\n"


def test_real_users_mistake_is_status_2(capsys):
    assert cli.main(["waterfall", "toc_membership", "--set", "lifetime=-1"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "bizmodels: error: model toc_membership: lifetime = -1: "
        "Input should be greater than or equal to 0\n"
    )


def test_an_existing_directory_is_read_as_a_scenario_file(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["compare", "."]) == 2
    err = capsys.readouterr().err
    assert err.startswith("bizmodels: error: .") and "directory" in err
