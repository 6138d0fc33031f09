"""A cache file with one field of every invoice replaced: a file damaged in one place only."""

from __future__ import annotations

import json
import zlib
from typing import Any

from metro_tui.sync import snapshot_codec
from metro_tui.sync.snapshot import AccountSnapshot


def with_invoice_field(snapshot: AccountSnapshot, field: int, value: Any) -> list[bytes]:
    """The file's lines after the header with one field of every invoice replaced, and an
    end line that matches them (so only that field is wrong)."""
    body = []
    for line in list(snapshot_codec.encode(snapshot))[1:-1]:
        section = json.loads(line)
        if section[0] == "invoices":
            for _customer, invoices in section[1]:
                for invoice in invoices:
                    invoice[field] = value
            line = json.dumps(section, separators=(",", ":")).encode() + b"\n"
        body.append(line)
    checksum = 0
    for line in body:
        checksum = zlib.crc32(line, checksum)
    end = ["end", {"lines": len(body), "crc32": checksum}]
    return [*body, json.dumps(end, separators=(",", ":")).encode() + b"\n"]
