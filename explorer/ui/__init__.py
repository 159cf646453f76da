"""Qt: the main window, its actions and panels, the 3D, map and curve views."""
