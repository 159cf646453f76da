"""The command line says where f is not differentiable and lists corners apart."""

from explorer import cli


def _run(capsys, *argv):
    code = cli.main(list(argv))
    return code, capsys.readouterr().out


def test_inspect_at_a_corner_says_so_and_offers_no_model(capsys):
    code, out = _run(capsys, "inspect", "abs(x) + y^2", "--at=0,1", "--eps=0.1,0")
    assert code == 0
    assert "kind         not differentiable here (abs)" in out
    assert "(one-sided: f is not differentiable here)" in out
    assert "linear       none" in out and "at point+ε" not in out
    code, out = _run(capsys, "inspect", "abs(x) + y^2", "--at=0.5,1")
    assert "kind         not a critical point" in out and "one-sided" not in out


def test_critical_lists_corners_apart(capsys):
    code, out = _run(capsys, "critical", "abs(x) + abs(y - 1) + 0.1x", "--box=-2,2,-2,2")
    assert code == 0
    assert out.splitlines() == [
        "0 critical point(s) of f(x, y)",
        "1 extremum(s) where f is not differentiable:",
        "minimum     at (0, 1)  value 0  (a corner)",
    ]
    code, out = _run(capsys, "critical", "relu(x) + y^2", "--box=-2,2,-2,2")
    assert "non-isolated critical points" in out
