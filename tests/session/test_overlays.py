"""The overlay registry, read by each view: which overlays a view draws."""

from explorer.session.overlays import CURVE, MAP, OVERLAYS, SURFACE, drawn_in


def test_each_view_draws_its_overlays_in_registry_order():
    assert drawn_in(CURVE) == ["tangent", "quadratic", "critical"]
    assert drawn_in(SURFACE) == [
        "tangent",
        "quadratic",
        "gradient",
        "descent",
        "critical",
        "sections",
    ]
    assert drawn_in(MAP) == [
        "gradient",
        "descent",
        "contours",
        "contour_labels",
        "colorbar",
        "field",
        "critical",
        "eigen",
        "direction",
    ]
    assert set(drawn_in(CURVE) + drawn_in(SURFACE) + drawn_in(MAP)) == set(OVERLAYS)


def test_the_registry_entries_keep_every_field():
    t = OVERLAYS["tangent"]
    assert (t.name, t.label, t.default, t.shortcut, t.button) == (
        "tangent",
        "&Tangent plane",
        True,
        "Ctrl+1",
        "Tangent plane",
    )
    assert t.tip == "The first-order (linear) model at the point"
    assert t.views == frozenset({SURFACE, CURVE})
    assert OVERLAYS["direction"].shortcut is None and OVERLAYS["colorbar"].button is None
