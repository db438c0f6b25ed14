#!/usr/bin/env python3
"""Asks one Verify question through a Sluice provincial gateway, with mutual TLS, from Python.

Needs grpcio and stubs generated from Sluice's proto files (Debian: python3-grpcio and
python3-grpc-tools):

    python3 -m grpc_tools.protoc -I proto/src/main/proto --python_out=gen --grpc_python_out=gen \
        proto/src/main/proto/sluice/v1/*.proto

then, with a department's credentials folder (tls.crt: its certificate chain, tls.key: its key,
ca.crt: the federation's root) and its gateway's address and node id:

    python3 verify_client.py --gen gen --gateway 127.0.0.1:7044 --gateway-id prov-44 \
        --credentials pki/nodes/prov-44_dept-ca --resource 3-44-002-001-000001 \
        --subject 440101199001011234 --purpose SOCIAL_ASSISTANCE_ELIGIBILITY --case GZ-2026-1 \
        --field enrolled

It prints one JSON object: the answer and the receipt's signer on success, or the gRPC status
code and message of a refusal (exit status 0 either way; 2 for a usage error).
"""

import argparse
import json
import os
import sys

import grpc


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--gen", required=True, help="folder holding the generated sluice/v1 modules")
    p.add_argument("--gateway", required=True, help="HOST:PORT of the caller's provincial gateway")
    p.add_argument("--gateway-id", required=True, help="the gateway's node id, as in its certificate (prov-CC)")
    p.add_argument("--credentials", required=True, help="the calling department's credentials folder")
    p.add_argument("--resource", required=True)
    p.add_argument("--subject", required=True)
    p.add_argument("--purpose", required=True)
    p.add_argument("--case", required=True)
    p.add_argument("--field", required=True, help="a BOOLEAN field; the question is whether it is true")
    p.add_argument("--request-id", default="")
    a = p.parse_args()

    sys.path.insert(0, a.gen)
    from sluice.v1 import common_pb2, verify_pb2, verify_pb2_grpc

    def read(name):
        with open(os.path.join(a.credentials, name), "rb") as f:
            return f.read()

    credentials = grpc.ssl_channel_credentials(
        root_certificates=read("ca.crt"), private_key=read("tls.key"), certificate_chain=read("tls.crt"))
    # A gateway's certificate names it as sluice://prov-44 (its identity) and as the DNS name
    # prov-44, which gRPC checks: connect by address, and check that name.
    options = [("grpc.ssl_target_name_override", a.gateway_id)]
    with grpc.secure_channel(a.gateway, credentials, options=options) as channel:
        stub = verify_pb2_grpc.VerifyServiceStub(channel)
        request = verify_pb2.VerifyRequest(
            context=common_pb2.RequestContext(
                purpose_code=a.purpose, case_reference=a.case, request_id=a.request_id),
            resource_code=a.resource,
            subject_key=a.subject,
            predicate=common_pb2.Predicate(comparison=common_pb2.Comparison(
                field=a.field, op=common_pb2.EQ, values=[common_pb2.Value(bool_value=True)])))
        try:
            response = stub.Verify(request, timeout=20)
        except grpc.RpcError as e:
            print(json.dumps({"code": e.code().name, "message": e.details()}, ensure_ascii=False))
            return 0
        body = verify_pb2.ReceiptBody.FromString(response.receipt.body)
        print(json.dumps({
            "code": "OK",
            "answer": common_pb2.Answer.Name(response.answer),
            "request_id": response.request_id,
            "signed_by": body.node_id,
            "signature_algorithm": response.receipt.algorithm,
        }, ensure_ascii=False))
        return 0


if __name__ == "__main__":
    sys.exit(main())
