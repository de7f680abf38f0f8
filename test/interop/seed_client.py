"""A client written to the seed design, in Python (asyncio + websockets).

It does what the seed spec tells a client to do: open
``/api/ws/workflow/{workflow_id}``, send the text frame ``ping`` and expect
``{"type": "pong", "workflow_id": ...}``, start a run with
``POST /api/workflows/{workflow_id}/execute``, and follow the messages until
that run's ``workflow_complete``. Message types it does not know (flowpulse's
extensions, such as ``snapshot``) are ignored, as a seed client would.

Every received message is also checked against a JSON Schema (Draft 7).
Prints one JSON summary line on stdout.

Usage: seed_client.py HOST:PORT WORKFLOW_ID SCHEMA_PATH
"""

import asyncio
import json
import sys
import urllib.request
from typing import Any, List

import jsonschema
import websockets

SEED_TYPES = {"workflow_start", "workflow_complete", "node_status", "edge_flow", "progress", "log", "error", "pong"}
TIMEOUT_SECONDS = 15


def message_errors(schema: dict, message: Any) -> List[str]:
    """Schema errors of one message, as readable lines ("data/status: 'done' is not one of ...").

    A message of a known type is checked against that type's definition, whose
    errors say what is wrong; the root ``oneOf`` would only say "none matched".
    """
    if jsonschema.Draft7Validator(schema).is_valid(message):
        return []
    kind = message.get("type") if isinstance(message, dict) else None
    message_types = {ref["$ref"].rsplit("/", 1)[-1] for ref in schema.get("oneOf", [])}
    if kind in message_types:
        root = {key: value for key, value in schema.items() if key != "oneOf"}
        schema = {**root, "allOf": [{"$ref": f"#/definitions/{kind}"}]}
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(message), key=lambda e: [str(p) for p in e.absolute_path])
    lines = [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"[:300] for e in errors]
    return lines or ["invalid"]


def post_execute(http_base: str, workflow_id: str) -> tuple:
    request = urllib.request.Request(
        f"{http_base}/api/workflows/{workflow_id}/execute",
        data=json.dumps({"initial_inputs": {}}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.loads(response.read())


async def follow_run(address: str, workflow_id: str, schema: dict) -> dict:
    received = []

    async def receive(ws) -> dict:
        message = json.loads(await ws.recv())
        received.append(message)
        return message

    async with websockets.connect(f"ws://{address}/api/ws/workflow/{workflow_id}") as ws:
        # Heartbeat, as the spec's wscat session: ping -> exact pong.
        await ws.send("ping")
        pong = None
        while pong is None:
            message = await receive(ws)
            if message.get("type") == "pong":
                pong = message

        # Start a run over HTTP; its messages queue up on the socket meanwhile.
        status, body = await asyncio.to_thread(post_execute, f"http://{address}", workflow_id)
        execution_id = body["execution_id"]

        while True:
            message = await receive(ws)
            data = message.get("data") or {}
            if message.get("type") == "workflow_complete" and data.get("execution_id") == execution_id:
                break

    # What a seed client makes of the run: its own messages, known types only.
    types, ignored, node_statuses, node_results = [], [], {}, {}
    complete = None
    for message in received:
        kind = message.get("type")
        if kind not in SEED_TYPES:
            ignored.append(kind)
            continue
        if kind == "pong" or message["data"].get("execution_id") != execution_id:
            continue
        types.append(kind)
        data = message["data"]
        if kind == "workflow_start":
            node_statuses = {node_id: "pending" for node_id in data["execution_order"]}
        elif kind == "node_status":
            node_statuses[data["node_id"]] = data["status"]
            node_results[data["node_id"]] = data.get("result")
        elif kind == "workflow_complete":
            complete = data

    schema_errors = [
        {"index": index, "type": message.get("type"), "errors": errors}
        for index, message in enumerate(received)
        if (errors := message_errors(schema, message))
    ]

    return {
        "pong": pong,
        "pong_exact": pong == {"type": "pong", "workflow_id": workflow_id},
        "post_status": status,
        "execution_id": execution_id,
        "message_count": len(received),
        "types": types,
        "ignored_types": ignored,
        "node_statuses": node_statuses,
        "node_results": node_results,
        "success": complete["success"],
        "execution_time": complete["execution_time"],
        "errors": complete["errors"],
        "schema_errors": schema_errors,
    }


def main() -> None:
    address, workflow_id, schema_path = sys.argv[1:4]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft7Validator.check_schema(schema)
    summary = asyncio.run(asyncio.wait_for(follow_run(address, workflow_id, schema), TIMEOUT_SECONDS))
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
