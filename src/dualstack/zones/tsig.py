"""TSIG keys: from a BIND ``key`` statement file or from name/secret/algorithm; never echoed."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from dualstack.errors import InputError

if TYPE_CHECKING:
    import dns.name
    import dns.tsig

ALGORITHMS = ("hmac-sha256", "hmac-sha384", "hmac-sha512", "hmac-sha224", "hmac-sha1", "hmac-md5")
_KEY = re.compile(r'key\s+"?(?P<name>[A-Za-z0-9.\-_]+)"?\s*\{(?P<body>[^}]*)\}\s*;', re.S)
_ALG = re.compile(r"algorithm\s+\"?(?P<alg>[A-Za-z0-9\-.]+)\"?\s*;")
_SECRET = re.compile(r'secret\s+"(?P<secret>[A-Za-z0-9+/=\s]+)"\s*;')


@dataclass(frozen=True, slots=True)
class TsigKey:
    name: str
    algorithm: str
    secret: str = field(repr=False)  # base64; kept out of repr so it never lands in a log

    def __post_init__(self) -> None:
        if self.algorithm.lower() not in ALGORITHMS:
            raise InputError(
                f"TSIG algorithm {self.algorithm!r} is not one of {', '.join(ALGORITHMS)}"
            )
        try:
            base64.b64decode(self.secret, validate=True)
        except (binascii.Error, ValueError):
            raise InputError(f"TSIG key {self.name!r}: the secret is not base64") from None

    def keyring(self) -> dict[dns.name.Name, dns.tsig.Key]:
        """A dnspython keyring for this key (imported lazily: dnspython costs start-up time)."""
        import dns.name
        import dns.tsig

        name = dns.name.from_text(self.name)
        return {name: dns.tsig.Key(name, self.secret, self.algorithm.lower())}


def read_key_file(path: str | Path) -> TsigKey:
    """The first ``key "name" { algorithm ...; secret "..."; };`` in a BIND-syntax file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, ValueError) as exc:
        raise InputError(f"{p!s:.80}: cannot read TSIG key file: {exc}") from None
    return parse_key(text, str(p))


def parse_key(text: str, source: str) -> TsigKey:
    """The first BIND ``key`` statement in ``text`` (``source`` names it in errors)."""
    match = _KEY.search(text)
    if match is None:
        raise InputError(f'{source}: no key "name" {{ algorithm ...; secret "..."; }}; statement')
    alg, secret = _ALG.search(match["body"]), _SECRET.search(match["body"])
    if alg is None or secret is None:
        raise InputError(f"{source}: key {match['name']!r} needs both algorithm and secret")
    return TsigKey(match["name"], alg["alg"], "".join(secret["secret"].split()))


def key_statement(key: TsigKey) -> str:
    """The key as a BIND ``key`` statement (the format :func:`read_key_file` reads)."""
    return f'key "{key.name}" {{\n    algorithm {key.algorithm};\n    secret "{key.secret}";\n}};\n'


def generate_key(name: str, algorithm: str = "hmac-sha256") -> TsigKey:
    """A fresh random key (256 bits of secret from the OS)."""
    import os

    return TsigKey(name, algorithm, base64.b64encode(os.urandom(32)).decode("ascii"))
