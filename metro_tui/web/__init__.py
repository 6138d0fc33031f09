"""`metro-tui serve`: the same app in a web browser, one app process per browser tab.

textual-serve runs a web server whose page draws a terminal (xterm.js) and starts one app
process per browser tab. Around it this package adds what a billing tool needs: loopback by
default, an access token in the URL, and settings and credentials that come from the machine
running the server, never from the browser.
"""
