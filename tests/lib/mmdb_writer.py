"""Writes small MaxMind DB (.mmdb) files for tests: one record for every
address of the database's family, in the MaxMind DB format 2.0 layout (a
one-node search tree, the data section, the metadata after its marker).
Enough for a test that needs geo databases present, not for lookups that
must differ by address."""
import struct
import time

MARKER = b"\xab\xcd\xefMaxMind.com"


def _control(type_id, size):
    """The control byte(s) of a value: type in the top 3 bits (extended types
    in a second byte), size in the low 5 (29 and up in following bytes)."""
    if size < 29:
        size_bits, extra = size, b""
    elif size < 29 + 256:
        size_bits, extra = 29, bytes([size - 29])
    else:
        raise ValueError("value too long for this writer")
    if type_id <= 7:
        return bytes([(type_id << 5) | size_bits]) + extra
    return bytes([size_bits, type_id - 7]) + extra


def encode(value):
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _control(2, len(raw)) + raw
    if isinstance(value, dict):
        out = _control(7, len(value))
        for k, v in value.items():
            out += encode(k) + encode(v)
        return out
    if isinstance(value, list):
        return _control(11, len(value)) + b"".join(encode(v) for v in value)
    if isinstance(value, tuple):  # (type name, int): the unsigned types by width
        kind, number = value
        type_id, width = {"uint16": (5, 2), "uint32": (6, 4), "uint64": (9, 8)}[kind]
        raw = number.to_bytes(width, "big").lstrip(b"\0")
        return _control(type_id, len(raw)) + raw
    raise TypeError(f"cannot encode {value!r}")


def write(path, database_type, record, ip_version=6):
    """Writes `record` (a dict) as the answer for every address."""
    node_count, record_size = 1, 24
    pointer = node_count + 16  # the record at offset 0 of the data section
    tree = pointer.to_bytes(3, "big") * 2
    metadata = {
        "node_count": ("uint32", node_count),
        "record_size": ("uint16", record_size),
        "ip_version": ("uint16", ip_version),
        "database_type": database_type,
        "languages": ["en"],
        "binary_format_major_version": ("uint16", 2),
        "binary_format_minor_version": ("uint16", 0),
        "build_epoch": ("uint64", int(time.time())),
        "description": {"en": "sockeye test database"},
    }
    with open(path, "wb") as f:
        f.write(tree + b"\0" * 16 + encode(record) + MARKER + encode(metadata))


def write_country(path, code="ZZ"):
    write(path, "GeoLite2-Country", {"country": {"iso_code": code}})


def write_asn(path, number=64500, organisation="Example Networks"):
    write(path, "GeoLite2-ASN", {"autonomous_system_number": ("uint32", number),
                                 "autonomous_system_organization": organisation})
