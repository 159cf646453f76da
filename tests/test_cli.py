"""The command-line tool, run as a user runs it."""

import csv
import subprocess
import sys

import pytest


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "explorer", *args], capture_output=True, text=True, timeout=60
    )


def test_inspect_prints_the_chapter_numbers():
    r = run("inspect", "x*exp(-x^2-y^2)", "--at=-1,0")
    assert r.returncode == 0, r.stderr
    assert "value        -0.36787944117144233" in r.stdout
    assert (
        "quadratic    -0.367879 - 0.367879 (x + 1) + 0.367879 (x + 1)^2 + 0.367879 y^2" in r.stdout
    )
    assert "eigenvalues  (0.7357588823, 0.7357588823)" in r.stdout


def test_inspect_first_experiment():
    r = run("inspect", "log(exp(x)+exp(y))", "--at=0,log(2)", "--eps=0.01,-0.03")
    assert r.returncode == 0, r.stderr
    assert "true 1.082124182" in r.stdout and "linear 1.081945622" in r.stdout


def test_critical_and_descend(tmp_path):
    r = run("critical", "3x^4-4x^3-12x^2", "--box=-3,3")
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert lines[0].startswith("3 critical point(s)")
    assert "minimum     at (2)  value -32" in r.stdout
    out = tmp_path / "run.csv"
    r = run(
        "descend",
        "(1-x)^2+100(y-x^2)^2",
        "--from=-1.5,2",
        "--optimizer=adam",
        "--lr=0.05",
        "--steps=3000",
        f"--csv={out}",
    )
    assert r.returncode == 0, r.stderr
    assert "stopped: converged" in r.stdout
    rows = list(csv.reader(out.read_text().splitlines()))
    assert rows[0] == ["step", "x", "y", "value", "grad_norm"]
    assert float(rows[-1][1]) == pytest.approx(1, abs=1e-6)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("inspect", "x*(", "--at=1"), "ends too early"),
        (("inspect", "x", "--at=1,2"), "needs 1 comma-separated"),
        (("inspect", "x", "--at=y"), "is not a number"),
        (("critical", "x*y", "--box=1,0,0,1"), "lo < hi"),
        (("descend", "x", "--from=1", "--optimizer=foo"), "invalid choice"),
        (("descend", "x^2", "--from=1", "--param=beta=0.5"), "no parameter 'beta'"),
        (("descend", "x^2", "--from=1", "--csv=/nonexistent/dir/a.csv"), "cannot write"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, fragment):
    r = run(*args)
    assert r.returncode == 2
    assert fragment in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.stderr


def test_diverging_run_exits_1():
    r = run("descend", "x^2", "--from=1", "--lr=5")
    assert r.returncode == 1
    assert "diverged" in r.stdout and "diverged" in r.stderr


def test_too_large_to_differentiate_is_one_line_and_exit_2(monkeypatch, capsys):
    import explorer.engine.function as function
    from explorer import cli

    monkeypatch.setattr(function, "MAX_DERIVATIVE_NODES", 12)
    assert cli.main(["inspect", "x*exp(-x^2-y^2)", "--at=1,0"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: the function is too large") and err.count("\n") == 1


@pytest.mark.parametrize("command", ["inspect", "critical", "descend"])
def test_a_function_of_no_variable_is_refused(command):
    option = {"inspect": "--at=", "critical": "--box=", "descend": "--from="}[command]
    r = run(command, "a = 1; a", option)
    assert r.returncode == 2
    assert r.stderr.startswith("error: the function has no variable")
    assert len(r.stderr.strip().splitlines()) == 1


def test_coordinates_are_constant_expressions():
    r = run("inspect", "x*y", "--at=pi(1/2),e-e")
    assert r.returncode == 0, r.stderr
    assert "value        0" in r.stdout
    r = run("inspect", "x*y", "--at=1,y")
    assert r.returncode == 2 and "cannot use the variable 'y'" in r.stderr


def test_critical_says_when_it_could_not_look_everywhere():
    bohachevsky = "x^2 + 2y^2 - 0.3cos(3pi x) - 0.4cos(4pi y) + 0.7"
    r = run("critical", bohachevsky, "--box=-100,100,-100,100")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[1].startswith("minimum     at (0, 0)  value 0 ")
    assert lines[-1].startswith("note: not every critical point could be found: f varies faster")
    r = run("critical", "x^2 - y^2", "--box=-1,1,-1,1")
    assert "not every critical point" not in r.stdout
