"""The account metro-tui is signed in to: stored credentials, the sign-in check, the connection."""
