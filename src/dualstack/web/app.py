"""The Flask application: pages, limits and error handling. No logic lives here: a page reads
its form, calls the library, and hands the values to its template."""

from __future__ import annotations

import importlib
import pkgutil
from io import BytesIO
from typing import IO, Any

from flask import Flask, Request, redirect, render_template, url_for
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.wrappers import Response

from dualstack.errors import DualstackError
from dualstack.web import pages

MAX_UPLOAD = 20 * 1024 * 1024  # bytes per request: a site file, a log sample, collector JSON


class MemoryRequest(Request):
    """Uploads stay in memory (werkzeug spools files over 500 KiB to a temp file on disk); the
    size limit bounds them."""

    def _get_file_stream(
        self,
        total_content_length: int | None,
        content_type: str | None,
        filename: str | None = None,
        content_length: int | None = None,
    ) -> IO[bytes]:
        return BytesIO()


def page_modules() -> list[Any]:
    """Every page module, in menu order (their ORDER)."""
    found = [
        importlib.import_module(f"{pages.__name__}.{info.name}")
        for info in pkgutil.iter_modules(pages.__path__)
    ]
    return sorted((m for m in found if hasattr(m, "page")), key=lambda m: m.ORDER)


def create_app(max_upload: int = MAX_UPLOAD) -> Flask:
    app = Flask(__name__)
    app.request_class = MemoryRequest
    app.config.update(MAX_CONTENT_LENGTH=max_upload, MAX_FORM_MEMORY_SIZE=max_upload)
    menu = []
    for module in page_modules():
        app.register_blueprint(module.page)
        menu.append((module.TITLE, f"{module.page.name}.show"))

    @app.context_processor
    def navigation() -> dict[str, Any]:
        return {"menu": menu}

    @app.get("/")
    def home() -> Response:
        return redirect(url_for(menu[0][1]))

    @app.errorhandler(DualstackError)
    def library_error(exc: DualstackError) -> tuple[str, int]:
        return render_template("error.html", message=str(exc)), 400

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(exc: RequestEntityTooLarge) -> tuple[str, int]:
        limit = app.config["MAX_CONTENT_LENGTH"]
        message = (
            f"The upload is too large: the limit is {limit // (1024 * 1024)} MiB per request "
            "(and a bounded number of files and fields)."
        )
        return render_template("error.html", message=message), 413

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[str, int]:
        return render_template("error.html", message=exc.description or exc.name), exc.code or 500

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> tuple[str, int]:
        app.logger.exception("unexpected error")
        message = "Something went wrong on our side; the details are in the server's log."
        return render_template("error.html", message=message), 500

    return app
