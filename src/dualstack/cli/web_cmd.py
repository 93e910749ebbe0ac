"""``dualstack web``: the local web UI."""

from __future__ import annotations

import click


@click.command("web")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8046, show_default=True,
              help="Port (0: any free one).")  # fmt: skip
@click.option("--open", "open_browser", is_flag=True, help="Open the page in a browser.")
def web_command(host: str, port: int, open_browser: bool) -> None:
    """Serve the local web UI: inspect, calc, plan, DNS, audit and Hyper-V pages over the same
    library the CLI uses. Listens on loopback unless told otherwise; Ctrl-C stops it."""
    from werkzeug.serving import make_server

    from dualstack.web.app import create_app
    from dualstack.web.local import listening_socket

    if host not in ("127.0.0.1", "::1", "localhost"):
        click.echo(f"warning: listening on {host}: anyone who can reach it can use it", err=True)
    with listening_socket(host, port) as sock:  # a port in use: one line, exit 2
        server = make_server(host, port, create_app(), threaded=True, fd=sock.fileno())
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{server.port}/"
    click.echo(f"dualstack web on {url} (Ctrl-C stops it)", err=True)
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
