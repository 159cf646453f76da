"""The session model the views observe, the presets, and view geometry. No widgets."""
