#!/usr/bin/env python3
"""Writes docs/api.md from the proto files: every service, method, message, field and enum value
with the comments written beside it in the .proto files.

    python3 docs/api_doc.py > docs/api.md

(ApiDocTest checks that docs/api.md names every message, field and method the protos hold.)
"""

import glob
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "proto", "src", "main", "proto")


def parse(path):
    """Yields ("file", comment), ("service"/"message"/"enum"/"oneof"/"end", name, comment) and
    ("rpc", name, req, resp, comment) / ("field", type, name, number, comment) / ("value", name,
    number, comment) in order."""
    pending = []
    header = []
    seen_decl = False
    for raw in open(path, encoding="utf-8"):
        line = raw.strip()
        if line.startswith("//"):
            pending.append(line[2:].strip())
            continue
        if not line:
            if not seen_decl and pending:
                header.extend(pending)
            pending = [] if not seen_decl else pending
            continue
        trailing = ""
        if "//" in line:
            line, trailing = line.split("//", 1)
            line, trailing = line.strip(), trailing.strip()
        comment = " ".join(pending + ([trailing] if trailing else []))
        pending = []
        m = re.match(r"^(service|message|enum|oneof)\s+(\w+)\s*\{", line)
        if m:
            seen_decl = True
            yield (m.group(1), m.group(2), comment)
            if line.endswith("}"):
                yield ("end", "", "")
            continue
        if line.startswith("}"):
            yield ("end", "", "")
            continue
        m = re.match(r"^rpc\s+(\w+)\s*\(\s*(stream\s+)?([\w.]+)\s*\)\s*returns\s*\(\s*(stream\s+)?([\w.]+)\s*\)", line)
        if m:
            req = ("stream " if m.group(2) else "") + m.group(3)
            resp = ("stream " if m.group(4) else "") + m.group(5)
            yield ("rpc", m.group(1), req, resp, comment)
            continue
        m = re.match(r"^(repeated\s+|optional\s+)?(map<[^>]+>|[\w.]+)\s+(\w+)\s*=\s*(\d+)", line)
        if m:
            t = (m.group(1) or "").strip()
            yield ("field", (t + " " if t else "") + m.group(2), m.group(3), m.group(4), comment)
            continue
        m = re.match(r"^(\w+)\s*=\s*(-?\d+)\s*;", line)
        if m:
            yield ("value", m.group(1), m.group(2), comment)
            continue
        if line.startswith(("syntax", "package", "import", "option")):
            if pending or comment:
                pass
            continue
    if header:
        yield ("file", " ".join(header))


# What the common fields mean wherever their .proto line carries no comment of its own.
COMMON = {
    "context": "The declared purpose, case reference and request id (`RequestContext`).",
    "resource_code": "A catalogue resource code (`3-44-002-001-000001`: level, province, department, set, serial).",
    "request_id": "The request id the call carried or its first gateway gave; audit entries carry it too.",
    "consumer_node_id": "The consumer department's node id (`prov-CC/dept-NAME`).",
    "subject_key": "The subject the question is about (a citizen ID or a unified social credit code).",
    "predicate": "The condition asked about, over the resource's fields (`Predicate`).",
    "grant_id": "The id of the grant that allows the access.",
    "answer": "TRUE, FALSE or NO_RECORD (`Answer`).",
    "purpose_code": "The declared purpose, one the grant names (`SOCIAL_ASSISTANCE_ELIGIBILITY`, ...).",
    "purposes": "The purposes allowed.",
    "session_id": "The session this message belongs to.",
    "suite": "The PSI cipher suite.",
    "subject_pseudonym": "The subject as the audit log records it: HMAC-SM3 under the federation's audit key, hex.",
    "signature": "The signature over the body.",
    "issued_at": "When it was issued (ISO-8601, UTC).",
    "from": "Start of the time range, inclusive.",
    "to": "End of the time range, exclusive.",
    "decision": "PERMIT or DENY.",
    "reason": "Why, in words a person can act on.",
    "name": "The name.",
    "fields": "Field names of the resource.",
    "leaf_index": "The entry's index in the audit log (its Merkle tree leaf).",
    "tree_size": "The number of entries the tree head covers.",
    "first_size": "The smaller tree size of the two compared.",
    "hashes": "The proof's hashes, in RFC 9162 order.",
    "version": "The version number.",
    "values": "The values compared with.",
    "value": "The value.",
    "time": "When it happened.",
    "count": "The number of records counted.",
    "body": "The serialized message that is signed.",
    "node_id": "A node id (`national`, `prov-CC`, `prov-CC/dept-NAME`).",
    "key": "The department's signed session key.",
    "provider_node_id": "The provider department's node id.",
    "gateway_node_id": "The gateway's node id.",
    "log_node_id": "The node whose audit log this is.",
    "page_token": "Where to resume: a previous page's next_page_token; empty for the first page.",
    "max_records": "At most this many records in all; 0 for no limit.",
    "records": "The records, oldest first.",
    "note": "The signed note (C2SP signed-note text).",
    "case_reference": "The caller's case reference, as declared.",
    "index": "The entry's index in the audit log.",
    "sum_field": "The INTEGER field summed; empty for a count only.",
    "resource_codes": "The resources, one per province.",
    "participants": "The provider departments whose records are in the total.",
    "dropped": "Those that failed or dropped out, each with why.",
    "attempts": "Sessions run (1 when nobody dropped out).",
    "suppressed": "True when the total was below the suppression threshold: no figures.",
    "suppression_threshold": "Totals below this count are suppressed (10).",
    "second_size": "The larger tree size of the two compared.",
    "side": "Which side of the session the gateway stands on.",
    "receiver_set_size": "Elements in the receiver's set.",
    "sender_set_size": "Elements in the sender's set.",
}


def cell(text):
    return text.replace("|", "\\|")


def main():
    out = sys.stdout
    out.write("# Sluice API (sluice.v1)\n\n")
    out.write("Every service, method, message, field and enum value of the wire contract, with the comments\n")
    out.write("written beside them in `proto/src/main/proto/sluice/v1/`. Generate a client from those files\n")
    out.write("(`protoc`, `grpc_tools.protoc`, `buf`); `docs/examples/python/verify_client.py` is one in\n")
    out.write("Python. Calls go to the caller's own provincial gateway over mutual TLS with the caller's\n")
    out.write("federation certificate; refusals are gRPC statuses with a message naming the reason.\n")
    out.write("Regenerate this file with `python3 docs/api_doc.py > docs/api.md`.\n")
    for path in sorted(glob.glob(os.path.join(ROOT, "sluice", "v1", "*.proto"))):
        items = list(parse(path))
        name = os.path.relpath(path, ROOT)
        out.write("\n## `%s`\n\n" % name)
        for it in items:
            if it[0] == "file":
                out.write(it[1] + "\n\n")
        stack = []
        table_open = False
        for it in items:
            kind = it[0]
            if kind in ("service", "message", "enum"):
                stack.append((kind, it[1]))
                full = ".".join(n for k, n in stack if k != "oneof")
                out.write("\n### %s `%s`\n\n" % (kind, full))
                if it[2]:
                    out.write(it[2] + "\n\n")
                if kind == "service":
                    out.write("| method | request | response | notes |\n| --- | --- | --- | --- |\n")
                elif kind == "message":
                    out.write("| field | type | number | notes |\n| --- | --- | --- | --- |\n")
                else:
                    out.write("| value | number | notes |\n| --- | --- | --- |\n")
                table_open = True
            elif kind == "oneof":
                stack.append((kind, it[1]))
            elif kind == "end":
                if stack:
                    stack.pop()
            elif kind == "rpc":
                out.write("| `%s` | `%s` | `%s` | %s |\n" % (it[1], it[2], it[3], cell(it[4])))
            elif kind == "field":
                oneof = [n for k, n in stack if k == "oneof"]
                note = ("one of `%s`. " % oneof[-1] if oneof else "") + (it[4] or COMMON.get(it[2], ""))
                out.write("| `%s` | `%s` | %s | %s |\n" % (it[2], it[1], it[3], cell(note.strip())))
            elif kind == "value":
                note = it[3] or ("Not set." if it[1].endswith("_UNSPECIFIED") else "")
                out.write("| `%s` | %s | %s |\n" % (it[1], it[2], cell(note)))


if __name__ == "__main__":
    main()
