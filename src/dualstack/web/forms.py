"""Reading what a form sent: pasted text or an uploaded file, never written to disk."""

from __future__ import annotations

from flask import request

from dualstack.errors import InputError


def text_or_upload(field: str, upload: str) -> tuple[str, str]:
    """(text, where it came from): the uploaded file if one was chosen, else the pasted text."""
    file = request.files.get(upload)
    if file is not None and file.filename:
        data = file.read()
        try:
            return data.decode("utf-8-sig"), file.filename
        except UnicodeDecodeError:
            raise InputError(f"{file.filename}: not UTF-8 text") from None
    return request.form.get(field, ""), "pasted text"
