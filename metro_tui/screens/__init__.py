"""The app's screens and tab panes."""
