"""The main job in two steps: :func:`render_kit` turns a plan into ``{path: text}`` without
touching the disk, and :func:`write_kit` puts such a dict into a folder.

Keeping them apart lets the CLI, the web zip and the web DNS page show the same bytes, and lets
a test render a kit with nothing to write to. What the last kit wrote and the next one must
keep (zone serials until records change, the DDNS key, sequential subnet IDs) is read once, by
:func:`read_previous`, and handed to the renderer as a :class:`Previous` value.

The writer keeps a manifest (``manifest.json``: every path it wrote and the sha256 of what it
wrote there). A file is rewritten only when its content changed, so a second run changes
nothing; a path the last kit wrote that the new one lacks is deleted and reported; a file the
kit did not write, or edited since, is never overwritten or deleted: it is moved aside to
``NAME.orig`` (the way rpm keeps ``.rpmsave``) and reported.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from io import BytesIO
from pathlib import Path, PurePosixPath

from dualstack._io import write_atomic
from dualstack.emit import KitInput, Secret, renderers
from dualstack.emit.bind import zone_text
from dualstack.errors import DualstackError, InputError
from dualstack.plan import Outcome, Plan, check
from dualstack.plan.lock import load_lock, lock_path, merged, write_lock
from dualstack.zones import Zone, build_zones
from dualstack.zones.own import owners
from dualstack.zones.serial import choose_serial
from dualstack.zones.tsig import TsigKey, generate_key, parse_key

DDNS_KEY_NAME = "dualstack-ddns."
MANIFEST = "manifest.json"
MANIFEST_SCHEMA = "dualstack-kit-manifest/1"

# What a kit folder holds: a file, or a folder (trailing /) and what is in it. `kit --help`
# and the README list these; a test holds them equal to what build_kit writes.
CONTENTS: dict[str, str] = {
    "plan.md": "the plan to read: VLANs, hosts, how each address was chosen",
    "plan.json": "the plan for scripts (and the next run's subnet IDs)",
    "vlans.csv": "one row per VLAN: IPv4, IPv6 and ULA prefixes, gateways, mode",
    "hosts.csv": "one row per host NIC: role, IPv4, MAC, IPv6 mode, address and its derivation",
    "dns/": "BIND zone files (the forward zone and every ip6.arpa/in-addr.arpa reverse "
    "zone), a named.conf fragment, the DDNS TSIG key ddns.key (mode 0600), and for a "
    "subnet in someone else's /24 parent-ZONE.txt: the records that zone's owner must add",
    "kea/": "kea-dhcp6.conf (DHCPv6) and kea-dhcp-ddns.conf (DDNS; holds the key, 0600)",
    "radvd/": "radvd.conf: router advertisements per VLAN",
    "router/": "ios.txt: the same RAs for a Cisco IOS router; with [dhcp] server, its relay "
    "lines and dhcrelay6.service (a Linux router's DHCPv6 relay)",
    "linux/": "HOST.network: systemd-networkd for each static NIC of an os = linux host; "
    "HOST.sysctl.conf: kernel SLAAC settings for its eui64/stable NICs (/etc/sysctl.d/) and "
    "HOST.slaac-up.service, which brings those NICs up",
    "windows/": "dns.ps1 (DnsServer zones), dhcp.ps1 (DHCPv6 scopes), addresses.ps1 (every NIC "
    "of the os = windows hosts, found by MAC)",
    MANIFEST: "every file the kit wrote, with its sha256: the next run removes what the "
    "plan no longer writes and moves aside (NAME.orig) what was edited by hand",
}


class PlanError(DualstackError):
    """The site has errors: nothing was written (exit code 1)."""

    exit_code = 1

    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome
        count = sum(1 for f in outcome.findings if f.severity.value == "error")
        super().__init__(f"the site has {count} error(s); no kit written")


@dataclass(frozen=True, slots=True)
class Previous:
    """What the last kit in a folder wrote that the next one must keep; empty for a new kit."""

    zones: Mapping[str, str] = field(default_factory=dict)  # "dns/NAME.zone" -> its text
    ddns_key: TsigKey | None = None  # None: a new key is generated
    subnets: Mapping[int, int] = field(default_factory=dict)  # VLAN id -> subnet ID


@dataclass(frozen=True, slots=True)
class Written:
    """A file of the new kit; ``changed`` False when it already held exactly this content."""

    path: Path
    changed: bool


@dataclass(frozen=True, slots=True)
class Moved:
    """A file the kit would have replaced or removed that it had not written (or that was
    edited since): kept, under a new name, for its owner to look at."""

    path: Path
    to: Path


@dataclass(frozen=True, slots=True)
class KitWrite:
    """What :func:`write_kit` did: every file of the kit (the manifest last), the files of
    the last kit it deleted, and the files it moved aside."""

    folder: Path
    written: tuple[Written, ...]
    removed: tuple[Path, ...] = ()
    moved: tuple[Moved, ...] = ()
    lock: Path | None = None  # the site's lock file, when this run wrote it (build_kit)


def planned(outcome: Outcome) -> Plan:
    """The plan of a checked site, or PlanError when the site has errors (no kit from it)."""
    if not outcome.ok or outcome.plan is None:
        raise PlanError(outcome)
    return outcome.plan


def plan_zones(plan: Plan) -> tuple[Zone, ...]:
    """The zones of the kit: the forward zone and the plan's reverse zones (``Plan.reverse``)."""
    return build_zones(plan)


def render_kit(
    plan: Plan, previous: Previous | None = None, today: date | None = None
) -> dict[str, str]:
    """Every file of the kit as ``{relative path: text}``, sorted by path; reads and writes
    nothing. A zone keeps its previous serial until its records change; the DDNS key is the
    previous one (a new random key without one). A :class:`~dualstack.emit.Secret` value
    must be stored readable by its owner only."""
    prev = previous or Previous()
    zones = plan_zones(plan)
    day = today or date.today()
    serials = {
        z.origin: choose_serial(prev.zones.get(f"dns/{z.file_name}"), zone_text(z, 0), day)
        for z in zones
    }
    kit = KitInput(plan, zones, serials, prev.ddns_key or generate_key(DDNS_KEY_NAME))
    files: dict[str, str] = {}
    for _, render in sorted(renderers().items()):
        files.update(render(kit))
    return dict(sorted(files.items()))


def kit_folder(folder: str | Path) -> Path:
    """``folder`` as a Path, refused early (InputError) when no kit can be written there."""
    out = Path(folder)
    if "\0" in str(out):
        raise InputError(f"{str(out)!r:.80}: not a usable folder name")
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is not a directory")
    return out


KEPT = "dns/ddns.key", "plan.json"  # besides dns/*.zone: what a next kit keeps from a last one


def previous_of(files: Mapping[str, str], source: str = "the last kit") -> Previous:
    """What a kit (``{path: text}``, as render_kit returned it or as read back from a folder)
    hands on to the next one: its zones, its DDNS key, its subnet IDs."""
    zones = {n: t for n, t in files.items() if n.startswith("dns/") and n.endswith(".zone")}
    key_text = files.get("dns/ddns.key")
    key = parse_key(key_text, f"{source}/dns/ddns.key") if key_text is not None else None
    plan_json = files.get("plan.json")
    subnets = subnets_of(plan_json, f"{source}/plan.json") if plan_json is not None else {}
    return Previous(zones, key, subnets)


def read_previous(folder: str | Path) -> Previous:
    """What the kit already in ``folder`` keeps for the next one (empty if there is none)."""
    out = kit_folder(folder)
    paths = [*sorted((out / "dns").glob("*.zone")), *(out / n for n in KEPT)]
    files = {}
    for path in paths:
        try:
            files[path.relative_to(out).as_posix()] = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            continue
        except (OSError, ValueError) as exc:
            raise InputError(f"{path}: cannot read the last kit's file: {exc}") from None
    return previous_of(files, str(out))


def subnets_of(plan_json: str, source: str) -> dict[int, int]:
    """VLAN id -> subnet ID from a kit's plan.json (the sequential scheme keeps them)."""
    try:
        data = json.loads(plan_json)
        return {
            int(v["id"]): int(v["subnet_id"])
            for v in data.get("vlans", [])
            if v.get("subnet_id") is not None
        }
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise InputError(f"{source}: unreadable earlier plan: {exc}") from None


def file_mode(body: str) -> int:
    """0600 for a secret (the DDNS key and what embeds it), 0644 for the rest of the kit."""
    return 0o600 if isinstance(body, Secret) else 0o644


def sha256(data: str | bytes) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def manifest_text(files: Mapping[str, str]) -> str:
    """The manifest of a kit: each path and the sha256 of its content; no dates, so an
    unchanged kit has an unchanged manifest."""
    entries = [{"path": p, "sha256": sha256(body)} for p, body in sorted(files.items())]
    return json.dumps({"schema": MANIFEST_SCHEMA, "files": entries}, indent=2) + "\n"


def read_manifest(folder: Path) -> dict[str, str] | None:
    """Path -> sha256 from the manifest in ``folder``; None when there is no manifest."""
    path = folder / MANIFEST
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc["schema"] != MANIFEST_SCHEMA:
            raise ValueError(f"schema {doc['schema']!r}, expected {MANIFEST_SCHEMA!r}")
        return {safe_path(e["path"]): str(e["sha256"]) for e in doc["files"]}
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise InputError(f"{path}: not a kit manifest ({exc}); move it away to go on") from None


def safe_path(name: str) -> str:
    """``name`` when it is a plain relative path inside the kit; InputError otherwise (a
    manifest or a caller cannot make the writer touch anything outside its folder)."""
    p = PurePosixPath(name)
    if not name or "\0" in name or p.is_absolute() or ".." in p.parts or "\\" in name:
        raise InputError(f"{name!r:.80} is not a path inside the kit folder")
    return str(p)


def write_kit(folder: str | Path, files: Mapping[str, str]) -> KitWrite:
    """Write ``files`` (as :func:`render_kit` returns them) into ``folder``: each atomically
    and only if changed (secrets 0600), then remove what the last kit wrote and this one does
    not (and the folders that leaves empty), then the manifest, last."""
    out = kit_folder(folder)
    names = {safe_path(n): body for n, body in files.items()}
    if MANIFEST in names:
        raise InputError(f"{MANIFEST} is the kit's own record; no file may take its name")
    try:
        old = read_manifest(out)
        moved: list[Moved] = []
        written: list[Written] = []
        for name, body in sorted(names.items()):
            path = out / name
            on_disk = _read(path)
            if on_disk is not None and on_disk != body.encode() and not _ours(old, name, on_disk):
                moved.append(move_aside(path))
            written.append(Written(path, write_atomic(path, body, file_mode(body))))
        removed: list[Path] = []
        for name in sorted(set(old or {}) - set(names)):
            path = out / name
            on_disk = _read(path)
            if on_disk is None:
                continue
            if _ours(old, name, on_disk):
                path.unlink()
                removed.append(path)
            else:
                moved.append(move_aside(path))
            prune_empty(path.parent, out)
        manifest = out / MANIFEST
        written.append(Written(manifest, write_atomic(manifest, manifest_text(names))))
    except OSError as exc:
        raise InputError(f"{exc.filename or out}: cannot write the kit: {exc.strerror}") from None
    return KitWrite(out, tuple(written), tuple(removed), tuple(moved))


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _ours(manifest: Mapping[str, str] | None, name: str, content: bytes) -> bool:
    """True when ``content`` is what the last kit wrote at ``name`` (so it may go)."""
    return manifest is not None and manifest.get(name) == sha256(content)


def move_aside(path: Path) -> Moved:
    """Rename ``path`` to the first free ``NAME.orig``, ``NAME.orig.1``, ... beside it."""
    target = path.with_name(path.name + ".orig")
    n = 0
    while target.exists() or target.is_symlink():
        n += 1
        target = path.with_name(f"{path.name}.orig.{n}")
    path.rename(target)
    return Moved(path, target)


def prune_empty(directory: Path, root: Path) -> None:
    """Remove ``directory`` and its parents below ``root`` while they are empty."""
    while directory != root and root in directory.parents:
        try:
            directory.rmdir()
        except OSError:  # not empty (a user's file, a moved-aside file): keep it
            return
        directory = directory.parent


def kit_zip(files: Mapping[str, str]) -> bytes:
    """The kit as a zip: what :func:`write_kit` puts in a new folder, manifest included, with
    each entry's Unix mode (the DDNS key stays owner-only when unpacked)."""
    buffer = BytesIO()
    entries = {**{safe_path(n): b for n, b in files.items()}, MANIFEST: manifest_text(files)}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in sorted(entries.items()):
            info = zipfile.ZipInfo(name, date_time=date.today().timetuple()[:6])
            info.external_attr = (0o100000 | file_mode(body)) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, body)
    return buffer.getvalue()


def build_kit(
    site_path: str | Path, directory: str | Path, today: date | None = None
) -> tuple[Outcome, KitWrite]:
    """Plan ``site_path`` and write its kit into ``directory``, keeping what the kit already
    there must keep (:func:`read_previous`); PlanError, and nothing written, if the site has
    errors. The convenience the CLI calls: read previous, check (with the site's lock file,
    completed by the last kit's plan.json from before there were locks), render_kit,
    write_kit, then record the plan's sticky choices in the lock: its subnet IDs, and the DNS
    names its zones publish (added to those the lock has). A site whose scheme needs no lock
    and has none (it was never pushed) gets none from the kit."""
    previous = read_previous(directory)
    path = lock_path(site_path)
    lock = load_lock(path)
    outcome = check(site_path, merged(lock.subnets, previous.subnets))
    plan = planned(outcome)
    result = write_kit(directory, render_kit(plan, previous, today))
    if plan.site.info.subnet_scheme != "sequential" and not path.exists():
        return outcome, result
    written = write_lock(site_path, plan, lock.managed | owners(plan_zones(plan)))
    return outcome, replace(result, lock=written)
