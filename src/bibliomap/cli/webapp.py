"""``bibliomap app``: the whole study in the browser, served on this machine (module not named app.py: see cli/__init__)."""
from __future__ import annotations

from pathlib import Path

import typer

from bibliomap.cli.common import fail


def register(app: typer.Typer) -> None:
    @app.command("app")
    def app_cmd(
        workspace: Path = typer.Option(Path("~/bibliomap-projects"), "--workspace", help="Folder holding the projects and the app's state."),
        host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on. Any other than localhost requires the access token printed at start."),
        port: int = typer.Option(8765, "--port", help="Port to listen on."),
        no_browser: bool = typer.Option(False, "--no-browser", help="Do not open a browser."),
        max_upload_mb: int = typer.Option(1024, "--max-upload-mb", help="Largest upload accepted, in MB (default 1 GB)."),
        jobs: int = typer.Option(0, "--jobs", help="Studies run at once (default: one per core)."),
    ) -> None:
        """Start the local web app: projects, upload, settings, term verification, runs, results."""
        import secrets
        import threading
        import webbrowser

        try:
            import uvicorn

            from bibliomap.app.security import is_local
            from bibliomap.app.server import create_app
        except ImportError as exc:  # pragma: no cover - the dependencies come with the package
            fail(f"the app needs its dependencies: {exc}; reinstall bibliomap")
        if max_upload_mb <= 0:
            fail("--max-upload-mb must be positive")
        token = None if is_local(host) else secrets.token_urlsafe(24)
        try:
            application = create_app(workspace.expanduser(), token=token, max_upload=max_upload_mb << 20, slots=jobs or None)
        except OSError as exc:
            fail(f"{workspace}: cannot use this folder as the workspace: {exc}")
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        url = f"http://{'[' + shown + ']' if ':' in shown else shown}:{port}/" + (f"?token={token}" if token else "")
        typer.echo(f"bibliomap app: workspace {application.state.workspace.root}")
        typer.echo(f"open {url}")
        if token:
            typer.echo(f"access token: {token} (every request needs it; share it only with people you trust)")
        if not no_browser:
            threading.Timer(1.0, webbrowser.open, args=(url,)).start()
        try:
            uvicorn.run(application, host=host, port=port, log_level="warning", timeout_graceful_shutdown=5)
        except OSError as exc:
            fail(f"cannot listen on {host}:{port}: {exc}")
